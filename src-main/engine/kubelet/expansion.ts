/**
 * Kubernetes' `$(VAR)` expansion for env values, command and args: `$(NAME)` becomes the
 * value of NAME when it is defined and stays as written otherwise; `$$` is an escaped `$`,
 * so `$$(NAME)` yields the literal `$(NAME)`.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let cursor = 0;
  while (cursor < input.length) {
    const char = input[cursor];
    if (char !== '$' || cursor + 1 >= input.length) {
      out += char;
      cursor++;
      continue;
    }
    const next = input[cursor + 1];
    if (next === '$') {
      out += '$';
      cursor += 2;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close >= 0) {
        const name = input.slice(cursor + 2, close);
        const value = lookup(name);
        out += value ?? `$(${name})`;
        cursor = close + 1;
        continue;
      }
    }
    out += '$';
    cursor++;
  }
  return out;
}
