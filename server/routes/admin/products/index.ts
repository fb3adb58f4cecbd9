import { Product } from "../../../../entities/Product.js";
import { listProducts, productCreator, productDeleter, productUpdater } from "../../../commands/admin/products.js";
import type { AppContext } from "../../../context.js";
import { presentProduct, productPayload } from "../../../presenters/admin/product.js";
import { recordRoutes, ResourceRouter } from "../route-kit.js";
import { createProductBody, listProductsQuery, productPage, updateProductBody } from "./schema.js";

/** /api/admin/products: software packages. */
export function productRoutes(context: AppContext): ResourceRouter {
  return recordRoutes(new ResourceRouter("/products", "Products"), () => context.dataSource.manager, {
    entity: Product,
    label: "Product",
    summaries: { list: "List products (search on code and name)", create: "Create a product", one: "One product", change: "Change a product", delete: "Delete a product no contract or ticket refers to" },
    schemas: { listQuery: listProductsQuery, page: productPage, create: createProductBody, update: updateProductBody, payload: productPayload },
    list: (query) => listProducts(context, query),
    create: (props) => productCreator(context, props),
    update: (props) => productUpdater(context, props),
    remove: (props) => productDeleter(context, props),
    present: presentProduct,
  });
}
