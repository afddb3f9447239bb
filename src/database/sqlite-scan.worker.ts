// Runs `scanForDamage` off the main thread (see `startSqliteScan`).
import { parentPort, workerData } from 'node:worker_threads';
import { scanForDamage, type ScanVerdict } from './sqlite-file-check';

const verdict: ScanVerdict = { problem: scanForDamage((workerData as { path: string }).path) };
parentPort!.postMessage(verdict);
