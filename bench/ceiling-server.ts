// The benchmark's ceiling: a bare Express endpoint that answers every POST with the same static TwiML.
import express from "express";

const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="/next" numDigits="1"><Say language="nl-BE">Welkom bij Care Solutions.</Say></Gather></Response>';
const app = express();
app.use(express.urlencoded({ extended: false }));
app.post("/*splat", (_req, res) => {
  res.type("text/xml").send(twiml);
});
const server = app.listen(Number(process.env.PORT ?? 0), () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
