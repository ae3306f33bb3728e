/** Where the organisation archive is downloaded and its JSON Schema served. Pure: pages and the browser share it. */
export const ARCHIVE_DOWNLOAD_PATH = "/exports/archive";
export const ARCHIVE_SCHEMA_PATH = "/api/v1/archive-schema";
/** Where the format is described, in the repository. */
export const ARCHIVE_DOCS = "docs/archive.md";
