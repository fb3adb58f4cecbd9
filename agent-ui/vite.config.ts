import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The agent console is a static bundle served by the app from agent-ui/dist.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/api": "http://localhost:3000", "/socket.io": { target: "http://localhost:3000", ws: true }, "/sim": "http://localhost:3000", "/twilio": "http://localhost:3000" } },
});
