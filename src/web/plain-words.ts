/**
 * The words a form's labels use for the fields and phrases the API names by their paths
 * (`policy.minMinutes`, `intervals.2.closes`): the API's 400s keep the paths (the contract), the
 * pages say what the patron or librarian sees on the form.
 *
 * A key with a space is a whole phrase, replaced as written; a key without one is a field path,
 * replaced by its label: as written at the start of a sentence, else lower-cased after "the". A
 * one-word path (`password`) is only taken for a field at the start of a sentence, since in the
 * middle it is more likely the plain word.
 */
export type Glossary = Record<string, string>;

const PATH = /^[a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*/;

/** A refusal in the form's own words; paths the glossary misses are turned into words. */
export function plainMessage(message: string, glossary: Glossary = {}): string {
  // The same problem in many rows (each step too long) is said once.
  const parts = message.split('; ').map((part) => plainPart(part, glossary));
  return [...new Set(parts)].join('; ');
}

function plainPart(part: string, glossary: Glossary): string {
  let text = part;
  const keys = Object.keys(glossary).sort((a, b) => b.length - a.length);
  for (const key of keys) {
    const pattern = new RegExp(`(^|[^\\w.])${escape(key)}(?![\\w.])`, 'g');
    const plainWord = !/[A-Z.\s]/.test(key);
    text = text.replace(pattern, (match, before: string, offset: number) => {
      const label = glossary[key];
      if (key.includes(' ') || offset === 0) return `${before}${label}`;
      if (plainWord) return match;
      return `${before}the ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
    });
  }
  const head = PATH.exec(text)?.[0];
  // A field path the glossary does not know, such as `birthDate`: its last part, in words.
  if (head && /[A-Z.]/.test(head) && text.charAt(head.length) === ' ')
    text = fieldWords(head) + text.slice(head.length);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `policy.maxMinutesPerWeek` → `Max minutes per week`. */
export function fieldWords(path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path;
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
