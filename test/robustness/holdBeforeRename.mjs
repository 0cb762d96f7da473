// Fault injection for interruptedWrites.test.ts, loaded with `node --import`: the first
// FileHandle.sync() (the fsync an atomic write does after writing its temporary and before the
// rename) announces itself on stderr and never returns, so the test can SIGKILL the process at
// exactly the worst moment: new bytes complete on disk, the target not yet replaced.
import { open } from "node:fs/promises";

const handle = await open(process.execPath, "r");
const proto = Object.getPrototypeOf(handle);
await handle.close();
const sync = proto.sync;
let held = false;
proto.sync = function (...args) {
  if (held) return sync.apply(this, args);
  held = true;
  process.stderr.write("PRIVADS_TEST_HOLDING_BEFORE_RENAME\n");
  return new Promise(() => globalThis.setInterval(() => {}, 1 << 30)); // keeps the process alive until killed
};
