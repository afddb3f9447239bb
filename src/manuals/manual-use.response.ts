export class DiffPart {
  type: 'added' | 'removed' | 'unchanged';
  lines: string[];
}

export class RevisionDiffResponse {
  from: number;
  to: number;
  changes: DiffPart[];
  unified: string;
}

export class SentManualResponse {
  sentTo: string;
  url: string;
}

export class ProgressResponse {
  step: number;
  steps: number;
  completed: boolean;
  certified: string[];
}
