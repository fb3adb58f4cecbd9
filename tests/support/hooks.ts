import { dropTestDatabase } from "./database.js";

/** Mocha root hooks: the private test database is dropped once the run ends. */
export const mochaHooks = {
  async afterAll() {
    await dropTestDatabase();
  },
};
