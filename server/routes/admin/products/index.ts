import { Product } from "../../../../entities/Product.js";
import { listProducts, productCreator, productDeleter, productUpdater } from "../../../commands/admin/products.js";
import { findOr404 } from "../../../commands/admin/records.js";
import type { AppContext } from "../../../context.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { presentProduct, productPayload } from "../../../presenters/admin/product.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { createProductBody, listProductsQuery, productPage, updateProductBody } from "./schema.js";

/** /api/admin/products: software packages. */
export function productRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/products", "Products");
  api.route({ method: "get", path: "/", summary: "List products (search on code and name)", access: "read", query: listProductsQuery, response: productPage }, async ({ query }) =>
    presentPage(await listProducts(context, query), presentProduct),
  );
  api.route({ method: "post", path: "/", summary: "Create a product", access: "admin", body: createProductBody, status: 201, response: productPayload, errors: [409] }, async ({ body, agent }) =>
    presentProduct(await productCreator(context, { actorId: agent.id, fields: body })),
  );
  api.route({ method: "get", path: "/:id", summary: "One product", access: "read", params: idParams, response: productPayload }, async ({ params }) =>
    presentProduct(await findOr404(context.dataSource.manager, Product, params.id, "Product")),
  );
  api.route({ method: "patch", path: "/:id", summary: "Change a product", access: "admin", params: idParams, body: updateProductBody, response: productPayload, errors: [409] }, async ({ params, body, agent }) =>
    presentProduct(await productUpdater(context, { actorId: agent.id, id: params.id, fields: body })),
  );
  api.route({ method: "delete", path: "/:id", summary: "Delete a product no contract or ticket refers to", access: "admin", params: idParams, status: 204, errors: [409] }, async ({ params, agent }) => {
    await productDeleter(context, { actorId: agent.id, id: params.id });
  });
  return api;
}
