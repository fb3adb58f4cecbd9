/** The demo data would be loaded into a database that already holds data; nothing was written. */
export class DemoDataPresentError extends Error {
  constructor(readonly counts: Record<string, number>) {
    super(
      `The database already holds data (${Object.entries(counts)
        .filter(([, count]) => count > 0)
        .map(([table, count]) => `${count} ${table}`)
        .join(", ")}); the demo data is only loaded into an empty database.`,
    );
    this.name = "DemoDataPresentError";
  }
}
