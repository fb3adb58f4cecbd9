import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
// Every *.html in agent-ui/ is a page (console, admin, simulator).
const pages = Object.fromEntries(
  fs.readdirSync(root).filter((file) => file.endsWith(".html")).map((file) => [path.basename(file, ".html"), path.join(root, file)]),
);

// The agent UI is a static bundle served by the app from agent-ui/dist.
export default defineConfig({
  root,
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, rollupOptions: { input: pages } },
  server: { proxy: { "/api": "http://localhost:3000", "/socket.io": { target: "http://localhost:3000", ws: true }, "/sim": "http://localhost:3000", "/twilio": "http://localhost:3000" } },
});
