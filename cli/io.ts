// Where the CLI writes: results to stdout, progress to stderr (redrawn in place on a terminal).
export interface Io {
  out(line: string): void;
  err(line: string): void;
  progress(line: string): void;
}

export function terminalIo(): Io {
  const tty = process.stderr.isTTY;
  let pending = false;
  const endProgress = () => {
    if (pending) process.stderr.write('\n');
    pending = false;
  };
  return {
    out: (l) => {
      endProgress();
      process.stdout.write(`${l}\n`);
    },
    err: (l) => {
      endProgress();
      process.stderr.write(`${l}\n`);
    },
    progress: (l) => {
      if (tty) {
        process.stderr.write(`\r\x1b[2K${l}`);
        pending = true;
      } else process.stderr.write(`${l}\n`);
    },
  };
}
