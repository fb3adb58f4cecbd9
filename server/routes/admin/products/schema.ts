import { z } from "zod";
import { LANGUAGES } from "../../../../entities/enums.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { productPayload } from "../../../presenters/admin/product.js";
import { listQuery, text } from "../common-schema.js";

/** Body of POST /products. */
export const createProductBody = z.strictObject({
  code: text(40).describe("unique product code"),
  name: text(200),
  spokenNames: z
    .partialRecord(z.enum(LANGUAGES), text(200))
    .nullable()
    .optional()
    .describe("what the IVR product menu says per language, e.g. {\"nl\":\"Zorgdossier\"}"),
  active: z.boolean().optional(),
});

/** Body of PATCH /products/:id. */
export const updateProductBody = createProductBody.partial();

/** Query of GET /products. */
export const listProductsQuery = listQuery;

export const productPage = pagePayload(productPayload);
