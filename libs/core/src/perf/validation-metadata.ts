import { getMetadataStorage } from 'class-validator';

type Lookup = (target: object, schema: string, always: boolean, strictGroups: boolean, groups?: string[]) => unknown[];

const MEMOISED = Symbol('shipei.memoisedValidationMetadata');

/**
 * class-validator looks up a DTO's rules on every validate() by scanning every decorated class
 * of the process (an `instanceof` test per class, for inherited rules): 122 ms of a 5.8 s check-in
 * profile, with ~200 DTO classes (typestack/class-validator#2686). A class's own and inherited rules
 * are all registered when its module loads, before anything can validate it, so the answer for a
 * given (class, schema, always, strictGroups, groups) never changes: it is kept after the first call.
 * Idempotent; the storage is class-validator's process-wide singleton.
 */
export function memoiseValidationMetadata(): void {
  const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas: Lookup; [MEMOISED]?: true };
  if (storage[MEMOISED]) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const byTarget = new WeakMap<object, Map<string, unknown[]>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (typeof target !== 'function') return lookup(target, schema, always, strictGroups, groups);
    let answers = byTarget.get(target);
    if (!answers) byTarget.set(target, (answers = new Map()));
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let found = answers.get(key);
    if (!found) answers.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage[MEMOISED] = true;
}
