// The mover's usage lines, apart from its command so that `ferry --help` does not load the mover.
export const moverUsage = `  ferry mover backup --store URL --snapshot-key KEY --dir DIR --claim NAME
  ferry mover restore --store URL --snapshot-key KEY --snapshot-sha256 HEX --snapshot-size BYTES --dir DIR
                                                   the data mover alone (what the in-cluster mover Job runs)`;
