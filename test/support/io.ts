// The CLI's Io, captured: every line in order for text(), and stdout's and stderr's lines apart.
import type { Io } from '../../cli/io.js';

export function captureIo(): Io & { text: () => string; outLines: string[]; errLines: string[] } {
  const lines: string[] = [];
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    outLines,
    errLines,
    out: (l) => {
      lines.push(l);
      outLines.push(l);
    },
    err: (l) => {
      lines.push(l);
      errLines.push(l);
    },
    progress: (l) => lines.push(l),
    text: () => lines.join('\n'),
  };
}
