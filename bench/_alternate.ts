// Both sides of a benchmark round, the one that goes first alternating with the round: a side that runs second
// pays for the controllers' backlog the first one left, and a change of load on the machine hits both alike.
export async function bothSides(round: number, raw: () => Promise<void>, ferry: () => Promise<void>): Promise<void> {
  const [first, second] = round % 2 === 0 ? [raw, ferry] : [ferry, raw];
  await first();
  await second();
}
