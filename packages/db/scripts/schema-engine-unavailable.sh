#!/bin/sh
# Stand-in for Prisma's schema-engine binary, used only by `npm run generate`.
# prisma 7.10 downloads the schema engine before every command, generate included, although
# generate never runs it (it parses the schema with bundled wasm). Offline that download
# fails, so the generate script points PRISMA_SCHEMA_ENGINE_BINARY here. Anything that really
# needs the engine ends up here and stops with this message.
echo "schema-engine is not installed; apply migrations with: npm run migrate -w @parley/db" >&2
exit 1
