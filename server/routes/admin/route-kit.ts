import { Router, type Request, type RequestHandler, type Response } from "express";
import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { z } from "zod";
import type { Agent } from "../../../entities/Agent.js";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { findOr404 } from "../../commands/admin/records.js";
import { validate } from "../../errors/validation.js";
import { requireBodyType } from "../../security/body-type.js";
import { presentPage } from "../../presenters/admin/common.js";
import { idParams } from "./common-schema.js";

/** Who may call a route: `read` = supervisors and admins, `admin` = admins only (every write), `any` = every logged-in account. */
export type Access = "read" | "admin" | "any";

/** One admin route: what it accepts and answers. The same object drives validation and the OpenAPI document. */
export interface RouteSpec<PS extends z.ZodType = z.ZodType, QS extends z.ZodType = z.ZodType, BS extends z.ZodType = z.ZodType> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express path below the resource's mount path, e.g. "/:id". */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Media type of the body; default application/json. */
  bodyType?: string;
  /** The handler reads the body from `req` as a stream (large uploads); `body` then only documents it. */
  streamsBody?: boolean;
  /** Middleware run before validation (e.g. a larger body parser for CSV uploads). */
  before?: RequestHandler[];
  /** Success status; default 200 (201 for a created record, 204 for no body). */
  status?: number;
  /** Schema of the success payload. */
  response?: z.ZodType;
  /** Media type of the success payload; default application/json. */
  responseType?: string;
  /** Error statuses worth documenting beyond 400/401/403/404 (409, 422 …). */
  errors?: number[];
  /** Further success answers (e.g. a dry run's 200 beside an import's 202). */
  otherResponses?: Record<number, { description: string; schema: z.ZodType }>;
}

/** What a handler receives: validated input and the acting agent. */
export interface RouteInput<PS extends z.ZodType, QS extends z.ZodType, BS extends z.ZodType> {
  params: z.infer<PS>;
  query: z.infer<QS>;
  body: z.infer<BS>;
  agent: Agent;
  req: Request;
  res: Response;
}

/** A documented route as the OpenAPI builder sees it. */
export interface RegisteredRoute extends RouteSpec {
  fullPath: string;
  tag: string;
}

const roles: Record<Access, Parameters<typeof requireRole>> = { read: ["admin", "supervisor"], admin: ["admin"], any: ["admin", "supervisor", "agent"] };

/** One sub-router per resource; every route is role-checked, validated and recorded for the OpenAPI document. */
export class ResourceRouter {
  readonly router = Router();
  readonly routes: RegisteredRoute[] = [];

  constructor(readonly mountPath: string, readonly tag: string) {}

  /** Registers a route; the handler's return value is the JSON answer (ignored when it already answered). */
  route<PS extends z.ZodType, QS extends z.ZodType, BS extends z.ZodType>(
    spec: RouteSpec<PS, QS, BS>,
    handler: (input: RouteInput<PS, QS, BS>) => Promise<unknown> | unknown,
  ): void {
    this.routes.push({ ...(spec as unknown as RouteSpec), fullPath: this.mountPath + (spec.path === "/" ? "" : spec.path), tag: this.tag });
    const status = spec.status ?? 200;
    const bodyType = spec.method === "get" ? [] : [requireBodyType(spec.bodyType ?? "application/json")];
    this.router[spec.method](spec.path, requireRole(...roles[spec.access]), ...bodyType, ...(spec.before ?? []), async (req: Request, res: Response) => {
      const input = {
        params: spec.params ? validate(spec.params, req.params) : req.params,
        query: spec.query ? validate(spec.query, req.query) : req.query,
        body: spec.body && !spec.streamsBody ? validate(spec.body, req.body ?? {}) : undefined,
        agent: currentAgent(req),
        req,
        res,
      } as RouteInput<PS, QS, BS>;
      const result = await handler(input);
      if (res.headersSent) return;
      if (status === 204) res.status(204).end();
      else res.status(status).json(result);
    });
  }
}

/** A plain administered record (customers, products, SLA policies): its names, schemas, commands and presenter. */
export interface RecordResource<E extends ObjectLiteral & { id: number }, LQ extends z.ZodType, CB extends z.ZodType, UB extends z.ZodType> {
  entity: EntityTarget<E>;
  /** Singular, for "<label> 12 not found". */
  label: string;
  summaries: { list: string; create: string; one: string; change: string; delete: string };
  schemas: { listQuery: LQ; page: z.ZodType; create: CB; update: UB; payload: z.ZodType };
  list(query: z.infer<LQ>): Promise<{ rows: E[]; total: number; page: number; pageSize: number }>;
  create(props: { actorId: number; fields: z.infer<CB> }): Promise<E>;
  update(props: { actorId: number; id: number; fields: z.infer<UB> }): Promise<E>;
  remove(props: { actorId: number; id: number }): Promise<void>;
  present(record: E): unknown;
}

/** The five routes of such a record: list (paged, searchable), create, one, change, delete; reads for supervisors, writes for admins. */
export function recordRoutes<E extends ObjectLiteral & { id: number }, LQ extends z.ZodType, CB extends z.ZodType, UB extends z.ZodType>(
  api: ResourceRouter,
  manager: () => EntityManager,
  resource: RecordResource<E, LQ, CB, UB>,
): ResourceRouter {
  const { summaries, schemas, present } = resource;
  api.route({ method: "get", path: "/", summary: summaries.list, access: "read", query: schemas.listQuery, response: schemas.page }, async ({ query }) =>
    presentPage(await resource.list(query), present),
  );
  api.route({ method: "post", path: "/", summary: summaries.create, access: "admin", body: schemas.create, status: 201, response: schemas.payload, errors: [409] }, async ({ body, agent }) =>
    present(await resource.create({ actorId: agent.id, fields: body })),
  );
  api.route({ method: "get", path: "/:id", summary: summaries.one, access: "read", params: idParams, response: schemas.payload }, async ({ params }) =>
    present(await findOr404(manager(), resource.entity, params.id, resource.label)),
  );
  api.route({ method: "patch", path: "/:id", summary: summaries.change, access: "admin", params: idParams, body: schemas.update, response: schemas.payload, errors: [409] }, async ({ params, body, agent }) =>
    present(await resource.update({ actorId: agent.id, id: params.id, fields: body })),
  );
  api.route({ method: "delete", path: "/:id", summary: summaries.delete, access: "admin", params: idParams, status: 204, errors: [409] }, async ({ params, agent }) => {
    await resource.remove({ actorId: agent.id, id: params.id });
  });
  return api;
}
