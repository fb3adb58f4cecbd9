import { z } from "zod";
import type { RegisteredRoute } from "./route-kit.js";

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a client sends or receives. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const errorSchema: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["id", "message"],
      properties: {
        id: { type: "string", description: "stable error id, e.g. validation_failed, duplicate_code, still_referenced" },
        message: { type: "string" },
        field: { type: "string", description: "first field at fault" },
        fields: { type: "array", items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } }, required: ["field", "message"] } },
      },
    },
  },
};

const errorDescriptions: Record<number, string> = {
  400: "Invalid input; `error.fields` names every field at fault",
  401: "Not logged in",
  403: "The role does not allow this",
  404: "No such record",
  409: "Conflict: duplicate value, record still referenced, or state does not allow it",
  413: "Body too large",
  422: "The request was understood but cannot be carried out",
};

/** Builds the OpenAPI 3.1 document of the admin API from the registered routes (schemas derived from the zod schemas). */
export function buildOpenApiDocument(routes: RegisteredRoute[], basePath = "/api/admin"): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = basePath + route.fullPath.replace(/:([A-Za-z_]+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const [location, schema] of [["path", route.params], ["query", route.query]] as const) {
      if (!schema) continue;
      const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, property] of Object.entries(object.properties ?? {})) {
        const { description, ...rest } = property;
        parameters.push({ name, in: location, required: location === "path" || (object.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) });
      }
    }
    const status = route.status ?? 200;
    const responses: Record<string, unknown> = {
      [status]: status === 204
        ? { description: "Done" }
        : { description: "Success", content: { [route.responseType ?? "application/json"]: { schema: route.response ? jsonSchema(route.response, "output") : {} } } },
    };
    for (const [code, other] of Object.entries(route.otherResponses ?? {})) {
      responses[code] = { description: other.description, content: { "application/json": { schema: jsonSchema(other.schema, "output") } } };
    }
    const errors = new Set([401, 403, ...(route.params || route.query || route.body ? [400] : []), ...(route.params ? [404] : []), ...(route.errors ?? [])]);
    for (const code of [...errors].sort()) responses[code] = { description: errorDescriptions[code] ?? "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    const operation: Record<string, unknown> = {
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      operationId: `${route.method}${route.fullPath.replace(/[/:{}-]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      "x-required-role": route.access === "admin" ? ["admin"] : route.access === "read" ? ["admin", "supervisor"] : ["admin", "supervisor", "agent"],
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { [route.bodyType ?? "application/json"]: { schema: route.bodyType && route.bodyType !== "application/json" ? { type: "string" } : jsonSchema(route.body, "input") } } } }
        : {}),
      responses,
    };
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Care Solutions servicedesk — administration API",
      version: "1.0.0",
      description: "Customers, campuses, reference persons, products, contracts, SLA policies and agents; CSV import; R3 report; privacy export and erasure. Every change is audited.",
    },
    servers: [{ url: "/" }],
    security: [{ session: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "sd_session", description: "Session cookie from POST /api/auth/login" } },
      schemas: { Error: errorSchema },
    },
  };
}
