import type { ManualStep } from '../manuals/manual-content';
import {
  applyStepAction,
  parseStepAction,
  stepFromForm,
  stepToReturnTo,
} from './manual-editor-form';

const step = (title: string): ManualStep => ({ title, body: '', images: [] });
const titles = (steps: ManualStep[]) => steps.map((s) => s.title);

describe('the editor form', () => {
  it.each([
    ['up:2', ['a', 'c', 'b']],
    ['down:0', ['b', 'a', 'c']],
    ['remove:1', ['a', 'c']],
    ['add', ['a', 'b', 'c', 'New step']],
    ['save:1', ['a', 'b', 'c']],
    ['up:0', ['a', 'b', 'c']],
    ['down:9', ['a', 'b', 'c']],
    ['nonsense:1', ['a', 'b', 'c']],
  ])('applies %s', (value, expected) => {
    const steps = [step('a'), step('b'), step('c')];
    expect(titles(applyStepAction(steps, parseStepAction(value)))).toEqual(expected);
  });

  it.each([
    ['up:2', 3, 1],
    ['down:0', 3, 1],
    ['remove:2', 2, 1],
    ['remove:0', 2, 0],
    ['add', 4, 3],
    ['upload:1', 3, 1],
    ['unpic:2:0', 3, 2],
    ['save', 3, null],
  ])('comes back after %s with %i steps to step index %p', (value, count, expected) => {
    expect(stepToReturnTo(parseStepAction(value), count)).toBe(expected);
  });

  it('reads one step, its pictures in order', () => {
    const body = {
      'step-1-title': 'Load the paper',
      'step-1-body': 'Face down.',
      'step-1-image-0-src': '/images/a.png',
      'step-1-image-0-alt': 'The tray',
      'step-1-image-2-src': '/images/b.png',
    };
    expect(stepFromForm(body, 1)).toEqual({
      title: 'Load the paper',
      body: 'Face down.',
      images: [
        { src: '/images/a.png', alt: 'The tray' },
        { src: '/images/b.png', alt: '' },
      ],
    });
  });

  it('removes the chosen picture only', () => {
    const steps = [
      {
        title: 'a',
        body: '',
        images: [
          { src: '/1', alt: 'one' },
          { src: '/2', alt: 'two' },
        ],
      },
    ];
    expect(applyStepAction(steps, parseStepAction('unpic:0:0'))[0].images).toEqual([
      { src: '/2', alt: 'two' },
    ]);
  });
});
