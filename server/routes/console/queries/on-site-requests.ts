import type { DataSource } from "typeorm";
import { OnSiteRequest } from "../../../../entities/OnSiteRequest.js";
import type { OnSiteStatus } from "../../../../entities/enums.js";

/** How many requests one list shows. */
const LIST_LIMIT = 200;

/** On-site requests in one status with their ticket, customer and agents: pending ones oldest first, decided ones newest first. */
export function listOnSiteRequests(dataSource: DataSource, status: OnSiteStatus): Promise<OnSiteRequest[]> {
  return dataSource.getRepository(OnSiteRequest).find({
    where: { status },
    relations: { ticket: { customer: true }, requestedByAgent: true, decidedByAgent: true },
    order: { createdAt: status === "pending" ? "ASC" : "DESC", id: "ASC" },
    take: LIST_LIMIT,
  });
}
