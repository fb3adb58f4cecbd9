import { render } from "preact";

// Placeholder shell; the agent console issue builds the real console here.
render(<main><h1>Care Solutions servicedesk</h1></main>, document.getElementById("app")!);
