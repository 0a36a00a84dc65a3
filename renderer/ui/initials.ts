/**
 * A name as initials for discreet mode: "Anna-Karin Berg" reads "A.-K. B.". A temporary alias's
 * number ("Kvinna 3") stays a number, without a full stop, so two aliases can still be told apart.
 */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) =>
      /^\p{N}+$/u.test(part)
        ? part
        : part
            .split('-')
            .filter((piece) => /\p{L}/u.test(piece))
            .map((piece) => `${[...piece].find((char) => /\p{L}/u.test(char))!.toUpperCase()}.`)
            .join('-'),
    )
    .filter(Boolean)
    .join(' ');
}
