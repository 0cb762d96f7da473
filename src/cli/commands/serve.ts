import { startStaticServer } from "../../node/staticServer.js";
import type { Command } from "../command.js";
import { integerFlag, parseFlags } from "../flags.js";

const usage = `Usage: privads serve [--dir DIR] [--port P]
  --dir DIR    folder to serve (default privads-demo/public/models/)
  --port P     port on 127.0.0.1 (default 8080; 0 picks a free one)
Serves the exported browser files locally; open the printed demo.html URL. Ctrl-C stops.
Only requests addressed to 127.0.0.1, localhost or [::1] with this port are answered (421
otherwise, against DNS rebinding); an unreadable or vanished file fails that request only.`;

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the exported browser files on 127.0.0.1",
  usage,
  async run(argv, io) {
    const { values } = parseFlags(argv, { dir: { type: "string" }, port: { type: "string" } });
    const port = integerFlag("port", values.port, 8080, 0, 65535);
    const dir = values.dir ?? "privads-demo/public/models/";
    let server;
    try {
      server = await startStaticServer({ root: dir, port });
    } catch (error) {
      io.stderr(`privads serve: cannot serve ${dir}: ${(error as Error).message}\n`);
      return 1;
    }
    io.stdout(`serving ${dir} at ${server.url}\ndemo: ${server.url}demo.html\n(Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await server.close();
    return 0;
  },
};
