// What a test needs from the local stack, read from the environment the stack exported.
export function stackVar(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run \`npm run stack -- up\` (npm test does it for you)`);
  return v;
}
