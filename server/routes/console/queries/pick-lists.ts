import type { DataSource } from "typeorm";
import { Agent } from "../../../../entities/Agent.js";
import { Product } from "../../../../entities/Product.js";

/** The products a ticket may name (the console's product pick-list), by name. */
export function activeProducts(dataSource: DataSource): Promise<Product[]> {
  return dataSource.getRepository(Product).find({ where: { active: true }, order: { name: "ASC" } });
}

/** The desk accounts a ticket may be assigned to (the console's assignee pick-list), by name. */
export function activeAgents(dataSource: DataSource): Promise<Pick<Agent, "id" | "name">[]> {
  return dataSource.getRepository(Agent).find({ where: { active: true }, select: { id: true, name: true }, order: { name: "ASC" } });
}
