import { render } from "preact";
import { App } from "./app.js";
import "./styles.css";

// The agent console and supervisor view (one page, hash routes). Admin and simulator are pages of their own.
render(<App />, document.getElementById("app")!);
