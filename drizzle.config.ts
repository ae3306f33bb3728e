import { defineConfig } from "drizzle-kit";

// Migrations are generated here and applied by db/migrate.ts (never `push`).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
