import { Product } from "../../../entities/Product.js";
import { Ticket } from "../../../entities/Ticket.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { diffFields, writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { countWhere, duplicate, findOr404, guardUnique, stillReferenced, valueTaken, type Actor } from "./records.js";

/** Editable fields of a product. */
export interface ProductFields {
  code: string;
  name: string;
  spokenNames?: Partial<Record<string, string>> | null;
  active?: boolean;
}

const FIELDS = ["code", "name", "spokenNames", "active"] as const;
const duplicateCode = (code: string) => duplicate("duplicate_code", "code", `A product with code "${code}" already exists.`);
const snapshot = (p: Product) => ({ code: p.code, name: p.name, spokenNames: p.spokenNames, active: Boolean(p.active) });

/** Products matching the search (code or name), by name. */
export async function listProducts(context: CommandContext, query: ListQuery) {
  const qb = context.dataSource.getRepository(Product).createQueryBuilder("product").orderBy("product.name", "ASC").addOrderBy("product.id", "ASC");
  whereContains(qb, ["product.code", "product.name"], query.q);
  return fetchPage(qb, query);
}

/** Creates a product with a unique code. */
export async function productCreator(context: CommandContext, props: Actor & { fields: ProductFields }): Promise<Product> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        if (await valueTaken(tx.manager, Product, "code", fields.code)) throw duplicateCode(fields.code);
        const repository = tx.manager.getRepository(Product);
        const product = await repository.save(repository.create({ code: fields.code, name: fields.name, spokenNames: fields.spokenNames ?? null, active: fields.active ?? true }));
        await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "product", entityId: product.id, action: "create", changes: snapshot(product) });
        return product;
      }),
    () => duplicateCode(fields.code),
  );
}

/** Changes a product. */
export async function productUpdater(context: CommandContext, props: Actor & { id: number; fields: Partial<ProductFields> }): Promise<Product> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const product = await findOr404(tx.manager, Product, props.id, "Product");
        const before = snapshot(product);
        if (fields.code !== undefined && (await valueTaken(tx.manager, Product, "code", fields.code, product.id))) throw duplicateCode(fields.code);
        for (const field of FIELDS) if (fields[field] !== undefined) (product as unknown as Record<string, unknown>)[field] = fields[field];
        const saved = await tx.manager.getRepository(Product).save(product);
        const changes = diffFields(before, snapshot(saved), FIELDS);
        if (Object.keys(changes).length > 0) await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "product", entityId: product.id, action: "update", changes });
        return saved;
      }),
    () => duplicateCode(fields.code ?? ""),
  );
}

/** Deletes a product no contract covers and no ticket names; otherwise 409 (deactivate it instead). */
export async function productDeleter(context: CommandContext, props: Actor & { id: number }): Promise<void> {
  await inTransaction(context, async (tx) => {
    const product = await findOr404(tx.manager, Product, props.id, "Product");
    const [{ count }] = (await tx.manager.query(`SELECT COUNT(*) AS count FROM contract_products WHERE productId = ?`, [product.id])) as { count: number | string }[];
    const references = { contracts: Number(count), tickets: await countWhere(tx.manager, Ticket, { productId: product.id }) };
    if (Object.values(references).some((n) => n > 0)) throw stillReferenced(`Product ${product.code}`, references, "Deactivate it instead.");
    await tx.manager.getRepository(Product).delete({ id: product.id });
    await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "product", entityId: product.id, action: "delete", changes: snapshot(product) });
  });
}
