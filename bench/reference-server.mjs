// The reference peer of the realtime benchmark: @y/websocket-server 0.1.1 (Yjs' own y-websocket
// server; documents in memory, no persistence), run as its bin src/server.js does
// (`wss.on("connection", setupWSConnection)` behind an http.Server upgrade), except:
//  - it uses the project's `ws` 8 (the same WebSocket implementation as our server; the package's
//    own bin would load its nested ws 6), so the comparison is about the document server;
//  - it listens on 127.0.0.1:<PORT> and prints `listening <port>` once ready (PORT=0: any port);
//  - it stops on SIGTERM/SIGINT, and when the benchmark's stdin pipe closes (bench/child-guard.mjs).
// The document name is the path after /yjs/, so clients use the same URLs as against our server.
import http from "node:http";
import { setupWSConnection } from "@y/websocket-server/utils";
import { WebSocketServer } from "ws";
import "./child-guard.mjs";

const port = Number.parseInt(process.env.PORT ?? "0", 10);
const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((_request, response) => {
  response.writeHead(200, { "Content-Type": "text/plain" });
  response.end("okay");
});

wss.on("connection", (conn, request) => {
  const docName = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname.replace(/^\/yjs\//, ""));
  setupWSConnection(conn, request, { docName });
});
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : port}`);
});

const stop = () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
