/** Delivery tags in log lines, written compactly. */

/** Ascending numbers as runs: "1-3, 7, 9-12". */
export function describeTags(tags: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < tags.length; i++) {
    const start = tags[i];
    while (i + 1 < tags.length && tags[i + 1] === tags[i] + 1) i++;
    runs.push(start === tags[i] ? `${start}` : `${start}-${tags[i]}`);
  }
  return runs.join(', ');
}
