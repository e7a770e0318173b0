export const id = 779;
export const ids = [779];
export const modules = {

/***/ 3779:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runNative: () => (/* binding */ runNative)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./shared/src/errors.ts
var errors = __webpack_require__(3904);
// EXTERNAL MODULE: ./shared/src/runner/log.ts
var log = __webpack_require__(5392);
// EXTERNAL MODULE: ./shared/src/async/sleep.ts
var sleep = __webpack_require__(8859);
// EXTERNAL MODULE: ./actions/migrate/src/native/database/history.ts
var database_history = __webpack_require__(2463);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./shared/src/async/deadline.ts
var async_deadline = __webpack_require__(2874);
// EXTERNAL MODULE: ./shared/src/formats/duration.ts
var duration = __webpack_require__(5082);
// EXTERNAL MODULE: ./actions/migrate/src/native/database/session.ts
var database_session = __webpack_require__(4459);
;// CONCATENATED MODULE: ./actions/migrate/src/native/database/lock.ts







const DEFAULT_POLL_MS = 500;
/** A positive 63-bit key from the table's name, so different history tables never share a lock. */
function lockKey(history) {
    const digest = (0,external_node_crypto_.createHash)('sha256').update(`gantry-migrate:${history.sql}`).digest();
    return (digest.readBigUInt64BE(0) & 0x7fffffffffffffffn).toString();
}
async function acquireMigrationLock(session, history, options) {
    const key = lockKey(history);
    const deadline = new async_deadline/* Deadline */.B(options.waitMs, `the migration lock of ${history.display}`);
    let announced = false;
    const what = `Taking the migration lock of ${history.display}`;
    for (;;) {
        const [row] = await (0,database_session/* ownQuery */.r9)(what, () => session.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]));
        if (row?.locked) {
            if (announced)
                log/* info */.pq(`Got the migration lock of ${history.display}.`);
            return { release: () => release(session, key) };
        }
        const holder = await (0,database_session/* ownQuery */.r9)(what, () => describeHolder(session, key));
        if (deadline.expired()) {
            throw new errors/* ActionError */.lZ(`Another migration run held the lock of ${history.display} for all of lock-wait (${(0,duration/* formatDuration */.a)(options.waitMs)})${holder ? `: ${holder}` : ''}.`, {
                hint: 'another workflow run is migrating this database: let it finish, give this step a longer lock-wait, or serialise the runs with a concurrency group',
            });
        }
        if (!announced) {
            log/* info */.pq(`Another migration run holds the lock of ${history.display}${holder ? ` (${holder})` : ''}: waiting up to ${(0,duration/* formatDuration */.a)(options.waitMs)} (lock-wait).`);
            announced = true;
        }
        await (0,sleep/* sleep */.yy)(Math.min(options.pollMs ?? DEFAULT_POLL_MS, Math.max(deadline.remaining(), 1)), options.signal);
    }
}
async function release(session, key) {
    await session.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
}
/** Who holds the lock, for the messages: a bigint advisory key is classid (high half) and objid (low half). */
async function describeHolder(session, key) {
    const [holder] = await session.query(`SELECT a.pid, a.application_name, a.usename, floor(extract(epoch FROM now() - a.backend_start))::int AS seconds
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = ($1::bigint >> 32)::oid AND l.objid = ($1::bigint & 4294967295)::oid`, [key]);
    if (!holder)
        return undefined;
    return `server process ${holder.pid}, user ${holder.usename}, application "${holder.application_name}", connected for ${(0,duration/* formatDuration */.a)(holder.seconds * 1000)}`;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/commands/outcome.ts
function pendingOf(state) {
    return [
        ...state.pendingVersioned.map((migration) => ({ migration, type: 'versioned' })),
        ...state.pendingRepeatable.map((migration) => ({ migration, type: 'repeatable' })),
    ];
}
/** Drift that stops migrate, plan and validate: changed and missing files. A database ahead of the files only warns. */
function blockingDrift(drift) {
    return drift
        .filter((item) => item.kind !== 'unknown')
        .map((item) => ({
        phase: 'check',
        title: item.kind === 'changed' ? 'Applied migration changed' : 'Applied migration missing',
        message: item.message,
        ...(item.file ? { file: item.file, line: 1 } : {}),
    }));
}
function outOfOrderProblems(state) {
    const highest = state.applied.at(-1)?.version.text;
    return state.outOfOrder.map((migration) => ({
        phase: 'check',
        title: 'Out-of-order migration',
        message: `${migration.script} (version ${migration.version?.text}) is lower than version ${highest}, which is already applied: ` +
            'it was probably added on a branch merged after a later one. Renumber it above the latest version, or set out-of-order: true to apply it anyway.',
        file: migration.annotationPath,
        line: 1,
    }));
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/catalog-facts.ts
/** Schema and table name joined by a NUL, which no identifier contains; the schema empty when unqualified. */
function relationKey(relation) {
    return `${relation.schemaname ?? ''}\0${relation.relname}`;
}
/** A type name as written (`positive`, `app.positive`), keyed like relationKey: schema, NUL, name. */
function typeKey(names) {
    return `${names.length > 1 ? names.at(-2) : ''}\0${names.at(-1)}`;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/parse-nodes.ts
/** Readers of libpg-query parse-tree lists, which wrap each element in a node of its type. */
function rangeVars(nodes) {
    return (nodes ?? []).flatMap((node) => ('RangeVar' in node ? [node.RangeVar] : []));
}
function strings(nodes) {
    return (nodes ?? []).flatMap((node) => 'String' in node && node.String.sval !== undefined ? [node.String.sval] : []);
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/sql-type.ts

/** Types whose modifiers decodeTypmod can read back from atttypmod. */
const DECODED = new Set([
    'varchar',
    'bpchar',
    'numeric',
    'varbit',
    'bit',
    'timestamp',
    'timestamptz',
    'time',
    'timetz',
]);
const VARHDRSZ = 4;
/** The type a statement names, when it is a built-in one (unqualified or in pg_catalog); undefined otherwise. */
function typeFromParseTree(type) {
    const names = strings(type?.names);
    if (!type || names.length === 0 || names.length > 2)
        return undefined;
    if (names.length === 2 && names[0] !== 'pg_catalog')
        return undefined;
    const modifiers = [];
    for (const node of type.typmods ?? []) {
        const value = 'A_Const' in node ? (node.A_Const.ival?.ival ?? (node.A_Const.ival ? 0 : undefined)) : undefined;
        if (value === undefined)
            return undefined;
        modifiers.push(value);
    }
    const name = names.at(-1);
    // numeric(p) is numeric(p, 0).
    if (name === 'numeric' && modifiers.length === 1)
        modifiers.push(0);
    return { name, modifiers, array: (type.arrayBounds ?? []).length > 0 };
}
/** The type pg_attribute holds (typname of a pg_catalog type and atttypmod), in the parse tree's terms. */
function typeFromCatalog(typname, typmod, array) {
    if (typmod < 0)
        return { name: typname, modifiers: [], array };
    if (!DECODED.has(typname))
        return undefined;
    if (typname === 'varchar' || typname === 'bpchar')
        return { name: typname, modifiers: [typmod - VARHDRSZ], array };
    if (typname === 'numeric') {
        const packed = typmod - VARHDRSZ;
        // PostgreSQL 15+ allows a negative scale, stored in 11 bits.
        const scale = ((packed & 0x7ff) ^ 1024) - 1024;
        return { name: typname, modifiers: [(packed >> 16) & 0xffff, scale], array };
    }
    return { name: typname, modifiers: [typmod], array };
}
function typeLabel(type) {
    const names = strings(type?.names).filter((name) => name !== 'pg_catalog');
    const modifiers = (type?.typmods ?? []).flatMap((node) => 'A_Const' in node && node.A_Const.ival?.ival !== undefined ? [String(node.A_Const.ival.ival)] : []);
    return `${names.join('.') || 'another type'}${modifiers.length > 0 ? `(${modifiers.join(', ')})` : ''}${(type?.arrayBounds ?? []).length > 0 ? '[]' : ''}`;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/catalog.ts



/**
 * What lint asks the database, for the whole run in one query (one round trip, whatever the number
 * of files), and only when the batch names an existing table at all: whether each table exists and
 * what it is (to_regclass resolves a name as the migrations' session would), its size, the current
 * type of the columns whose type changes, whether the functions ADD COLUMN defaults call are VOLATILE,
 * which types ADD COLUMN names are domains with constraints, and the session's TimeZone. Catalog reads only: it runs in plan's read-only session too and needs
 * no privilege on the tables. The size is the catalog's (relpages of the table, its TOAST table and
 * its indexes, as VACUUM and ANALYZE last counted them; a partitioned table's are its leaf partitions',
 * at any depth, since a partitioned table or sub-partition has no pages of its own: relpages -1), not
 * pg_total_relation_size(), which opens each table and so would wait behind any ACCESS EXCLUSIVE lock
 * on it (as would pg_partition_tree(), which locks the partitions it lists).
 */
const CATALOG_QUERY = `
WITH relation AS (
  SELECT r.schema, r.name, to_regclass(CASE WHEN r.schema IS NULL THEN '' ELSE quote_ident(r.schema) || '.' END || quote_ident(r.name)) AS oid
  FROM unnest($1::text[], $2::text[]) AS r(schema, name)
), column_wanted AS (
  SELECT k.schema, k.name, k.column_name,
    to_regclass(CASE WHEN k.schema IS NULL THEN '' ELSE quote_ident(k.schema) || '.' END || quote_ident(k.name)) AS oid
  FROM unnest($3::text[], $4::text[], $5::text[]) AS k(schema, name, column_name)
)
SELECT current_setting('TimeZone') AS time_zone,
  (SELECT coalesce(json_agg(json_build_object(
      'schema', r.schema, 'name', r.name, 'kind', c.relkind,
      'rows', CASE WHEN z.analysed THEN z.rows END, 'bytes', CASE WHEN z.analysed THEN z.bytes END)), '[]')
    FROM relation r LEFT JOIN pg_class c ON c.oid = r.oid
    LEFT JOIN LATERAL (
      SELECT bool_and(s.reltuples >= 0) AS analysed, sum(s.reltuples) AS rows,
        sum(s.relpages::bigint + coalesce(t.relpages, 0) + coalesce(ix.pages, 0)) * current_setting('block_size')::bigint AS bytes
      FROM (WITH RECURSIVE tree(oid, kind) AS (
              SELECT c.oid, c.relkind
              UNION ALL SELECT i.inhrelid, p.relkind FROM tree JOIN pg_inherits i ON i.inhparent = tree.oid
              JOIN pg_class p ON p.oid = i.inhrelid WHERE tree.kind = 'p'
            ) SELECT oid FROM tree WHERE kind <> 'p') AS part(oid)
      JOIN pg_class s ON s.oid = part.oid
      LEFT JOIN pg_class t ON t.oid = s.reltoastrelid
      LEFT JOIN LATERAL (
        SELECT sum(ic.relpages) AS pages FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = s.oid
      ) ix ON true
    ) z ON true) AS relations,
  (SELECT coalesce(json_agg(json_build_object(
      'schema', k.schema, 'name', k.name, 'column', k.column_name,
      'display', format_type(a.atttypid, a.atttypmod), 'typmod', a.atttypmod,
      'typname', CASE WHEN t.typcategory = 'A' THEN e.typname ELSE t.typname END,
      'builtin', (CASE WHEN t.typcategory = 'A' THEN e.typnamespace ELSE t.typnamespace END) = 'pg_catalog'::regnamespace
        AND t.typtype <> 'd' AND coalesce(e.typtype, 'b') <> 'd',
      'array', t.typcategory = 'A',
      'indexed', EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey)),
      'checked', EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = a.attrelid AND c.contype = 'c'
        AND a.attnum = ANY (c.conkey)),
      'in_expression_index', EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid
        AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)
        AND (a.attnum = ANY (i.indkey) OR EXISTS (SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
            AND d.refclassid = 'pg_class'::regclass AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum))))), '[]')
    FROM column_wanted k
    JOIN pg_attribute a ON a.attrelid = k.oid AND a.attname = k.column_name AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A') AS columns,
  (SELECT coalesce(json_agg(json_build_object('name', v.name, 'volatile', v.volatile)), '[]')
    FROM (SELECT f.name, bool_or(p.provolatile = 'v') AS volatile
      FROM unnest($6::text[]) AS f(name) JOIN pg_proc p ON p.proname = f.name GROUP BY f.name) v) AS functions,
  (SELECT coalesce(json_agg(json_build_object('schema', d.schema, 'name', d.name)), '[]')
    FROM unnest($7::text[], $8::text[]) AS d(schema, name)
    WHERE EXISTS (
      WITH RECURSIVE chain(oid) AS (
        SELECT t.oid FROM pg_type t WHERE t.typtype = 'd'
          AND t.oid = to_regtype(CASE WHEN d.schema IS NULL THEN '' ELSE quote_ident(d.schema) || '.' END || quote_ident(d.name))
        UNION ALL SELECT b.oid FROM chain JOIN pg_type t ON t.oid = chain.oid JOIN pg_type b ON b.oid = t.typbasetype
          WHERE b.typtype = 'd'
      ) SELECT 1 FROM chain JOIN pg_type t ON t.oid = chain.oid
      WHERE t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.contypid = chain.oid))) AS constrained_domains`;
const KINDS = { r: 'table', p: 'partitioned table', m: 'materialized view' };
async function readCatalogFacts(session, request) {
    const empty = request.relations.length + request.columns.length + request.functions.length + request.types.length === 0;
    const facts = {
        serverVersion: session.serverVersion,
        timeZone: '',
        relations: new Map(),
        columns: new Map(),
        functions: new Map(),
        constrainedDomains: new Set(),
    };
    if (empty)
        return facts;
    const schemaOf = (relation) => relation.schemaname ?? null;
    const [row] = await (0,database_session/* ownQuery */.r9)('Reading the tables the pending migrations change, for lint', () => session.query(CATALOG_QUERY, [
        request.relations.map(schemaOf),
        request.relations.map((relation) => relation.relname),
        request.columns.map(({ relation }) => schemaOf(relation)),
        request.columns.map(({ relation }) => relation.relname),
        request.columns.map(({ column }) => column),
        request.functions,
        request.types.map(({ schema }) => schema),
        request.types.map(({ name }) => name),
    ]));
    if (!row)
        return facts;
    return { ...facts, timeZone: row.time_zone, ...readRows(row) };
}
function readRows(row) {
    const relations = new Map();
    for (const { schema, name, kind, rows, bytes } of row.relations) {
        const key = relationKey({ schemaname: schema ?? undefined, relname: name });
        relations.set(key, kind === null
            ? null
            : {
                kind: KINDS[kind] ?? 'other',
                rows: rows ?? undefined,
                bytes: bytes === null ? undefined : Number(bytes),
            });
    }
    const columns = new Map();
    for (const column of row.columns) {
        const key = relationKey({ schemaname: column.schema ?? undefined, relname: column.name });
        const table = columns.get(key) ?? new Map();
        table.set(column.column, {
            type: column.builtin ? typeFromCatalog(column.typname, column.typmod, column.array) : undefined,
            display: column.display,
            indexed: column.indexed,
            inExpressionIndex: column.in_expression_index,
            checked: column.checked,
        });
        columns.set(key, table);
    }
    const functions = new Map(row.functions.map(({ name, volatile }) => [name, volatile]));
    const constrainedDomains = new Set(row.constrained_domains.map(({ schema, name }) => typeKey(schema === null ? [name] : [schema, name])));
    return { relations, columns, functions, constrainedDomains };
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/created-tables.ts


/**
 * What the batch has done to tables so far, as lint follows it file by file: the tables it created,
 * which are new and empty, and the column types it declared. A name matches only when written the
 * same way: schema-qualified, the same schema; unqualified, a table created unqualified, and only
 * while the name resolves the same way. Whatever is in doubt counts as an existing table, so a
 * destructive statement on it is flagged rather than let through.
 */
class CreatedTables {
    /** relationKey()s of the tables created. */
    names = new Set();
    /** Temporary tables created ON COMMIT DROP: gone when the file's transaction commits. */
    dropAtCommit = new Set();
    resolutionChangedInFile = false;
    /** Table names an existing table may carry by now (renamed or moved to it): the catalog's answer for them is stale. */
    taken = new Set();
    /** Column types the batch declared (ADD COLUMN, ALTER COLUMN TYPE), by relationKey then column. */
    declared = new Map();
    /** Table and column names (NUL-joined, any schema) whose type the batch changed: the catalog's type is stale. */
    touched = new Set();
    /** Existing tables the batch dropped, by relationKey: CREATE TABLE IF NOT EXISTS under that name makes a new one. */
    dropped = new Set();
    add(relation, { outside, dropAtCommit }) {
        // Outside a transaction each statement commits on its own, so such a table is gone at once.
        if (dropAtCommit && outside)
            return;
        this.names.add(relationKey(relation));
        if (dropAtCommit)
            this.dropAtCommit.add(relationKey(relation));
    }
    has(relation) {
        return this.names.has(relationKey(relation));
    }
    forget(relation) {
        this.names.delete(relationKey(relation));
    }
    /** DROP TABLE of a table the batch did not create: the name is free from here on. */
    drop(relation) {
        this.dropped.add(relationKey(relation));
    }
    /** The name was dropped earlier in the batch and nothing has taken it since. */
    wasDropped(relation) {
        return this.dropped.has(relationKey(relation));
    }
    /** Forgets the name in every schema: an existing table may carry it now. */
    forgetName(relation) {
        for (const name of this.names) {
            if (name.slice(name.indexOf('\0') + 1) === relation.relname)
                this.names.delete(name);
        }
        for (const names of [this.declared.keys(), this.dropped.keys()]) {
            for (const name of names) {
                if (name.slice(name.indexOf('\0') + 1) === relation.relname) {
                    this.declared.delete(name);
                    this.dropped.delete(name);
                }
            }
        }
        if (relation.relname)
            this.taken.add(relation.relname);
    }
    /**
     * Whether the database's answer about this name still holds at this point of the batch: no
     * existing table was renamed or moved to the name, and an unqualified name still resolves as it
     * does in a fresh session (the one the catalog was read in).
     */
    trustsDatabase(relation) {
        if (this.taken.has(String(relation.relname)))
            return false;
        return relation.schemaname !== undefined || !this.resolutionChangedInFile;
    }
    /** ADD COLUMN or ALTER COLUMN … TYPE: the column has this type from now on. */
    declareColumn(relation, column, type) {
        const columns = this.declared.get(relationKey(relation)) ?? new Map();
        columns.set(column, type);
        this.declared.set(relationKey(relation), columns);
        this.touched.add(`${relation.relname}\0${column}`);
    }
    /** DROP COLUMN or RENAME COLUMN: whatever carries the name now, its type is unknown. */
    forgetColumn(relation, column) {
        this.declareColumn(relation, column, undefined);
    }
    /**
     * The column's type as the batch declared it: `declared` with the type (undefined when the batch
     * lost track of it), or `database` when the batch never changed it and the catalog's type holds.
     */
    columnType(relation, column) {
        const columns = this.declared.get(relationKey(relation));
        if (columns?.has(column))
            return { declared: columns.get(column) };
        return this.touched.has(`${relation.relname}\0${column}`) ? { declared: undefined } : 'database';
    }
    /**
     * search_path or the role ("$user" in search_path) changed: an unqualified name may now mean a
     * table in another schema. Gantry resets the session after each file, so names created after the
     * change mean something else again in the next file.
     */
    resolutionChanged() {
        this.forgetUnqualified();
        this.resolutionChangedInFile = true;
    }
    endFile() {
        if (this.resolutionChangedInFile)
            this.forgetUnqualified();
        this.resolutionChangedInFile = false;
        for (const name of this.dropAtCommit)
            this.names.delete(name);
        this.dropAtCommit.clear();
    }
    forgetUnqualified() {
        for (const name of this.names)
            if (name.startsWith('\0'))
                this.names.delete(name);
        for (const name of this.declared.keys())
            if (name.startsWith('\0'))
                this.declared.delete(name);
        for (const name of this.dropped)
            if (name.startsWith('\0'))
                this.dropped.delete(name);
    }
}
const NAME_RESOLUTION_SETTINGS = new Set(['search_path', 'role', 'session_authorization']);
/**
 * SET or RESET of search_path or the role, RESET ALL, or set_config() anywhere in the statement
 * (`sql`, whose parse tree `node` is).
 */
function changesNameResolution(node, sql) {
    if ('VariableSetStmt' in node) {
        const { kind, name } = node.VariableSetStmt;
        return kind === 'VAR_RESET_ALL' || NAME_RESOLUTION_SETTINGS.has(name ?? '');
    }
    return mayNameSetConfig(sql) && callsSetConfig(node);
}
/**
 * Whether the text can name set_config at all: plain or quoted, the name is in it in some case;
 * only a Unicode-escaped identifier (U&"…") can spell it otherwise. Most statements have neither,
 * and their trees, which can be large, need no walk.
 */
function mayNameSetConfig(sql) {
    return /set_config|u&/i.test(sql);
}
function callsSetConfig(value) {
    if (Array.isArray(value))
        return value.some(callsSetConfig);
    if (typeof value !== 'object' || value === null)
        return false;
    const call = value.FuncCall;
    if (call && strings(call.funcname).at(-1) === 'set_config')
        return true;
    return Object.values(value).some(callsSetConfig);
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/context.ts

/**
 * The table is new in this batch, so locking or rewriting it hurts no one: created earlier in the
 * batch, or (with the database) absent from it, so that whatever makes it before this statement is
 * part of the batch too — unless an existing table may have been renamed or moved to its name.
 */
function isNewTable(context, relation) {
    return context.created.has(relation) || absentFromDatabase(context, relation);
}
function absentFromDatabase(context, relation) {
    return (context.facts?.relations.get(relationKey(relation)) === null && context.created.trustsDatabase(relation));
}
/** The table's catalog facts, when they still describe the table this name means here. */
function relationFacts(context, relation) {
    if (!context.created.trustsDatabase(relation))
        return undefined;
    return context.facts?.relations.get(relationKey(relation)) ?? undefined;
}
function columnFacts(context, relation, column) {
    if (!context.created.trustsDatabase(relation))
        return undefined;
    return context.facts?.columns.get(relationKey(relation))?.get(column);
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/finding.ts
function tableName(relation) {
    return relation.schemaname ? `${relation.schemaname}.${relation.relname}` : String(relation.relname);
}

;// CONCATENATED MODULE: ./shared/src/formats/bytes.ts
/** A byte count for people: `512 B`, `1.5 KiB`, `340.5 MiB`, `2.0 GiB` (binary units, as du -h). */
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/table-size.ts

/**
 * The table's size, to rank a rewrite: under SMALL_TABLE_BYTES (heap, indexes and TOAST) a rewrite
 * holds its ACCESS EXCLUSIVE lock for well under a second on any disk, which is worth a notice, not a
 * warning; a table never analysed is of unknown size, so a warning too. Both figures are the
 * catalog's estimates (relpages, reltuples), as fresh as the last VACUUM or ANALYZE.
 */
const SMALL_TABLE_BYTES = 10 * 1024 * 1024;
function isSmall(facts) {
    return facts?.bytes !== undefined && facts.bytes < SMALL_TABLE_BYTES;
}
/** notice for a small table, warning for a large one or one of unknown size. */
function rankBySize(facts) {
    return isSmall(facts) ? 'notice' : 'warning';
}
/** ` (about 1.2 million rows, 340.5 MiB)`, or nothing without the database. */
function sizeNote(facts) {
    if (!facts)
        return '';
    if (facts.rows === undefined || facts.bytes === undefined)
        return ' (never analysed: its size is unknown)';
    return ` (about ${rowCount(facts.rows)}, ${formatBytes(facts.bytes)})`;
}
function rowCount(rows) {
    const rounded = Math.round(rows);
    if (rounded === 1)
        return '1 row';
    if (rounded < 10_000)
        return `${rounded} rows`;
    if (rounded < 1_000_000)
        return `${Math.round(rounded / 1000)} thousand rows`;
    if (rounded < 1_000_000_000)
        return `${(rounded / 1_000_000).toFixed(1)} million rows`;
    return `${(rounded / 1_000_000_000).toFixed(1)} billion rows`;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/volatility.ts

/**
 * Which functions are VOLATILE, for the ADD COLUMN … DEFAULT rule: since PostgreSQL 11 a non-volatile
 * default (a constant, or a STABLE function such as now(), evaluated once) is stored in the catalog
 * and the table is not rewritten; a volatile one is evaluated for every existing row, which rewrites
 * the table. Without the database lint knows only the built-in and common extension functions below;
 * with it, pg_proc.provolatile answers for any other name, and CREATE FUNCTION earlier in the batch
 * (VOLATILE unless it says otherwise) for functions the database does not have yet.
 */
const WELL_KNOWN_VOLATILE = new Set([
    'random',
    'random_normal',
    'setseed',
    'clock_timestamp',
    'timeofday',
    'nextval',
    'setval',
    'currval',
    'lastval',
    'gen_random_uuid',
    'uuidv4',
    'uuidv7',
    // uuid-ossp and pgcrypto
    'uuid_generate_v1',
    'uuid_generate_v1mc',
    'uuid_generate_v4',
    'gen_random_bytes',
    'gen_salt',
]);
/** The name of the first function `expression` calls that `isVolatile` says is volatile. */
function volatileCall(expression, isVolatile) {
    for (const name of calledFunctions(expression))
        if (isVolatile(name))
            return name;
    return undefined;
}
/** The (unqualified) names of the functions an expression calls, in order. */
function calledFunctions(expression, names = []) {
    if (Array.isArray(expression)) {
        for (const item of expression)
            calledFunctions(item, names);
    }
    else if (typeof expression === 'object' && expression !== null) {
        const call = expression.FuncCall;
        const name = call ? strings(call.funcname).at(-1) : undefined;
        if (name)
            names.push(name);
        for (const value of Object.values(expression))
            calledFunctions(value, names);
    }
    return names;
}
/** The volatility CREATE FUNCTION declares: VOLATILE unless it says IMMUTABLE or STABLE. */
function declaredVolatile(options) {
    for (const option of options ?? []) {
        const element = option
            .DefElem;
        if (element?.defname === 'volatility')
            return element.arg?.String?.sval === 'volatile';
    }
    return true;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/add-column.ts





/**
 * ADD COLUMN on a table that has rows. Since PostgreSQL 11 a column added with no default or a
 * non-volatile one is a catalog change: the value is stored once and existing rows read it from
 * there. The table and its indexes are rewritten under an ACCESS EXCLUSIVE lock when every row needs
 * a value of its own (ALTER TABLE's notes): a volatile DEFAULT, a serial column (its default is
 * nextval()), an identity column (each row takes a value from its sequence), a stored generated
 * column (computed per row), or a domain type with constraints (CHECK or NOT NULL: PostgreSQL counts
 * the coercion to it as volatile and checks every row, default or not). A NOT NULL column with none
 * of these fails on the first existing row.
 */
const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);
function lintAddColumn(column, relation, context) {
    if (isNewTable(context, relation))
        return;
    const { report } = context;
    const table = tableName(relation);
    const constraints = (column.constraints ?? []).flatMap((node) => 'Constraint' in node ? [node.Constraint] : []);
    const types = new Set(constraints.map((constraint) => constraint.contype));
    const typeNames = strings(column.typeName?.names);
    const serial = typeNames.length === 1 &&
        SERIAL_TYPES.has(typeNames[0]) &&
        (column.typeName?.arrayBounds ?? []).length === 0;
    const byDefault = constraints.find((constraint) => constraint.contype === 'CONSTR_DEFAULT');
    const stored = constraints.find((constraint) => constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind !== 'v');
    const notNull = types.has('CONSTR_NOTNULL') || types.has('CONSTR_PRIMARY');
    const filled = serial || byDefault || types.has('CONSTR_IDENTITY') || types.has('CONSTR_GENERATED');
    if (notNull && !filled) {
        report('add-not-null-column', `ADD COLUMN ${column.colname} NOT NULL without a DEFAULT fails on ${table} as soon as the table has rows: ` +
            'give it a non-volatile DEFAULT (a constant, or a STABLE function such as now(): PostgreSQL 11+ stores it without rewriting the table), ' +
            'or add it nullable, backfill, then set NOT NULL.');
    }
    const rewrite = rewriteReason(column, { serial, byDefault, identity: types.has('CONSTR_IDENTITY'), stored }, context);
    if (rewrite) {
        const facts = relationFacts(context, relation);
        report(rewrite.rule, `ADD COLUMN ${column.colname} rewrites ${table}${sizeNote(facts)} and all its indexes under an ACCESS EXCLUSIVE lock that blocks reads and writes: ` +
            `${rewrite.why} ${rewrite.fix}`, { severity: rankBySize(facts) });
    }
    if (types.has('CONSTR_PRIMARY') || types.has('CONSTR_UNIQUE')) {
        report(types.has('CONSTR_PRIMARY') ? 'add-primary-key' : 'add-unique-constraint', `ADD COLUMN ${column.colname} ${types.has('CONSTR_PRIMARY') ? 'PRIMARY KEY' : 'UNIQUE'} builds an index on ${table} while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.`);
    }
}
function rewriteReason(column, how, context) {
    const name = column.colname;
    const backfill = 'backfill the existing rows in batches';
    if (how.serial) {
        return {
            rule: 'add-column-volatile-default',
            why: "a serial column's default, nextval(), is VOLATILE, so every existing row gets a value of its own.",
            fix: `Add ${name} as a nullable integer column, create the sequence and SET DEFAULT nextval(…) (new rows only, no rewrite), then ${backfill}.`,
        };
    }
    if (how.identity) {
        return {
            rule: 'add-column-volatile-default',
            why: 'every existing row takes a value from the identity sequence.',
            fix: `Add ${name} nullable, ${backfill}, make it NOT NULL (CHECK … NOT VALID, VALIDATE, then SET NOT NULL), then ALTER COLUMN ${name} ADD GENERATED … AS IDENTITY (START WITH past the highest value), which does not rewrite.`,
        };
    }
    const volatile = how.byDefault
        ? volatileCall(how.byDefault.raw_expr, (fn) => context.isVolatile(fn))
        : undefined;
    if (volatile) {
        return {
            rule: 'add-column-volatile-default',
            why: `its DEFAULT calls ${volatile}(), which is VOLATILE, so it is evaluated for every existing row (PostgreSQL 11+ skips the rewrite only for a non-volatile default).`,
            fix: `Add ${name} without the default (or with a constant one), ALTER COLUMN ${name} SET DEFAULT for new rows (no rewrite), then ${backfill}.`,
        };
    }
    if (how.stored) {
        return {
            rule: 'add-generated-column',
            why: 'a stored generated column is computed and written for every existing row.',
            fix: `On PostgreSQL 18+ make it VIRTUAL, which adds without a rewrite; otherwise add ${name} as a plain nullable column kept up to date by a trigger, and ${backfill}.`,
        };
    }
    const typeNames = strings(column.typeName?.names);
    if ((column.typeName?.arrayBounds ?? []).length === 0 && context.isConstrainedDomain(typeNames)) {
        return {
            rule: 'add-column-constrained-domain',
            why: `its type ${typeNames.join('.')} is a domain with constraints (CHECK or NOT NULL), which PostgreSQL checks by writing every existing row, with or without a DEFAULT.`,
            fix: `Add ${name} with the domain's base type and its check as a CHECK constraint added NOT VALID, then VALIDATE CONSTRAINT in a later migration, which lets writes go on.`,
        };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/type-change.ts
const LENGTH_TYPES = new Set(['varchar', 'varbit']);
const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);
/** Above this a time precision means the same as none: microseconds. */
const MAX_TIME_PRECISION = 6;
const TIMESTAMP_WITHOUT_REWRITE_IN_UTC = 120000;
/** Built-in types among which no change other than the ones above is binary coercible. */
const KNOWN = new Set([
    ...LENGTH_TYPES,
    ...TIME_TYPES,
    'text',
    'numeric',
    'int2',
    'int4',
    'int8',
    'float4',
    'float8',
    'bool',
    'date',
    'interval',
    'uuid',
    'json',
    'jsonb',
    'bytea',
]);
/** Zone names whose offset is zero at every date, in any spelling PostgreSQL accepts. */
const UTC_ZONES = new Set(['UTC', 'UCT', 'GMT', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich', 'Universal', 'Zulu'].flatMap((name) => [
    name.toLowerCase(),
    `etc/${name.toLowerCase()}`,
]));
function isUtc(timeZone) {
    return timeZone !== undefined && UTC_ZONES.has(timeZone.toLowerCase());
}
function judgeTypeChange(from, to, session) {
    if (from.array || to.array) {
        return sameType(from, to)
            ? { rewrites: false, why: 'the type does not change' }
            : { rewrites: undefined };
    }
    if (sameType(from, to))
        return { rewrites: false, why: 'the type does not change' };
    if (from.name === to.name && LENGTH_TYPES.has(to.name))
        return lengthChange(from, to);
    if (from.name === 'varchar' && to.name === 'text') {
        return { rewrites: false, why: 'varchar is binary coercible to text' };
    }
    if (from.name === 'text' && to.name === 'varchar') {
        return to.modifiers.length === 0
            ? { rewrites: false, why: 'text is binary coercible to varchar without a length' }
            : { rewrites: true, why: `every value is checked against the length ${to.modifiers[0]}` };
    }
    if (from.name === 'numeric' && to.name === 'numeric')
        return numericChange(from, to);
    if (TIME_TYPES.has(from.name) && TIME_TYPES.has(to.name))
        return timeChange(from, to, session);
    if (KNOWN.has(from.name) && KNOWN.has(to.name)) {
        return { rewrites: true, why: `${from.name} is not binary coercible to ${to.name}` };
    }
    return { rewrites: undefined };
}
function sameType(from, to) {
    return (from.name === to.name && from.array === to.array && from.modifiers.join(',') === to.modifiers.join(','));
}
function lengthChange(from, to) {
    const [oldLength] = from.modifiers;
    const [newLength] = to.modifiers;
    if (newLength === undefined)
        return { rewrites: false, why: 'removing the length limit changes no value' };
    if (oldLength === undefined)
        return { rewrites: true, why: `every value is checked against the length ${newLength}` };
    return newLength >= oldLength
        ? { rewrites: false, why: `a longer limit (${oldLength} to ${newLength}) changes no value` }
        : { rewrites: true, why: `a shorter limit (${oldLength} to ${newLength}) checks every value` };
}
function numericChange(from, to) {
    const [oldPrecision, oldScale] = from.modifiers;
    const [newPrecision, newScale] = to.modifiers;
    if (newPrecision === undefined)
        return { rewrites: false, why: 'numeric without precision holds every value' };
    if (oldPrecision === undefined) {
        return { rewrites: true, why: `every value is rounded to numeric(${newPrecision}, ${newScale})` };
    }
    if (oldScale === newScale && newPrecision >= oldPrecision) {
        return { rewrites: false, why: 'a higher precision with the same scale changes no value' };
    }
    return {
        rewrites: true,
        why: oldScale === newScale
            ? 'a lower precision checks every value'
            : `a different scale (${oldScale} to ${newScale}) rounds or pads every value`,
    };
}
function timeChange(from, to, session) {
    const [oldPrecision] = from.modifiers;
    const [newPrecision] = to.modifiers;
    const keepsPrecision = newPrecision === undefined ||
        newPrecision >= MAX_TIME_PRECISION ||
        (oldPrecision !== undefined && newPrecision >= oldPrecision);
    if (!keepsPrecision)
        return { rewrites: true, why: `every value is rounded to precision ${newPrecision}` };
    if (from.name === to.name)
        return { rewrites: false, why: 'a higher precision changes no value' };
    const zones = new Set([from.name, to.name]);
    if (!(zones.has('timestamp') && zones.has('timestamptz'))) {
        return { rewrites: true, why: `${from.name} is not binary coercible to ${to.name}` };
    }
    if (session.serverVersion === undefined)
        return { rewrites: undefined };
    if (session.serverVersion < TIMESTAMP_WITHOUT_REWRITE_IN_UTC) {
        return { rewrites: true, why: 'before PostgreSQL 12 this change always rewrites the table' };
    }
    if (session.timeZone === undefined)
        return { rewrites: undefined };
    return isUtc(session.timeZone)
        ? { rewrites: false, why: 'the session time zone is UTC, so no value changes', rebuildsIndexes: true }
        : {
            rewrites: true,
            why: `the session time zone is ${session.timeZone}, not UTC, so every value is shifted by its offset (SET TIME ZONE 'UTC' in the file first avoids the rewrite)`,
        };
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/alter-column-type.ts






/**
 * ALTER COLUMN … TYPE on a table that has rows rewrites it and its indexes under an ACCESS EXCLUSIVE
 * lock, unless the change cannot alter a value (type-change.ts). Judging that needs the column's
 * current type: the one declared earlier in the batch when the batch added or changed the column,
 * else the database's (pg_attribute). Without either, the finding stays and names the exceptions.
 * The table's size (from the catalog) ranks the finding.
 */
function lintAlterColumnType(column, definition, relation, context) {
    if (isNewTable(context, relation))
        return;
    const table = tableName(relation);
    const target = typeLabel(definition.typeName);
    const facts = relationFacts(context, relation);
    const current = currentType(column, relation, context);
    const next = typeFromParseTree(definition.typeName);
    const verdict = current.type && next && keepsValues(column, definition)
        ? judgeTypeChange(current.type, next, {
            serverVersion: context.facts?.serverVersion,
            timeZone: context.timeZone,
        })
        : { rewrites: undefined };
    const change = `Changing the type of ${table}.${column}${current.display ? ` from ${current.display}` : ''} to ${target}`;
    const severity = rankBySize(facts);
    if (verdict.rewrites === false) {
        // A new collation or operator class: the table stays, the column's indexes are built again.
        const rebuildsIndexes = verdict.rebuildsIndexes === true || definition.collClause !== undefined;
        const which = rebuildsIndexes && current.indexed !== false
            ? 'the indexes on the column'
            : current.inExpressionIndex === true
                ? 'the indexes on an expression of the column or with a WHERE clause naming it'
                : undefined;
        const work = [
            ...(which ? [`rebuilds ${which}`] : []),
            // PostgreSQL adds the column's CHECK constraints again, which scans the table.
            ...(current.checked === true ? ['checks every row against the CHECK constraints on the column'] : []),
        ];
        if (work.length === 0)
            return;
        context.report('alter-column-type', `${change} keeps the table (${verdict.why}), but ${work.join(' and ')}${sizeNote(facts)} under an ACCESS EXCLUSIVE lock that blocks reads and writes. ` +
            'On a large table: add a new column, backfill it, index it CONCURRENTLY, and switch over.', { severity });
        return;
    }
    const consequence = verdict.rewrites === true
        ? `rewrites the table${sizeNote(facts)} and its indexes under an ACCESS EXCLUSIVE lock that blocks reads and writes: ${verdict.why}.`
        : `rewrites the table${sizeNote(facts)} and its indexes under an ACCESS EXCLUSIVE lock that blocks reads and writes, ` +
            'unless the change keeps every value as it is (varchar(n) to text or to a longer varchar, numeric to a higher precision with the same scale, timestamp to timestamptz when the session time zone is UTC).';
    context.report('alter-column-type', `${change} ${consequence} To change it without the lock: add a new column, backfill it, and switch over.`, { severity });
}
function currentType(column, relation, context) {
    const known = context.created.columnType(relation, column);
    if (known !== 'database') {
        return {
            type: typeFromParseTree(known.declared),
            display: known.declared ? typeLabel(known.declared) : undefined,
            indexed: undefined,
            inExpressionIndex: undefined,
            checked: undefined,
        };
    }
    const facts = columnFacts(context, relation, column);
    return {
        type: facts?.type,
        display: facts?.display,
        indexed: facts?.indexed,
        inExpressionIndex: facts?.inExpressionIndex,
        checked: facts?.checked,
    };
}
/** No USING, or USING the column itself: the values are only reinterpreted. */
function keepsValues(column, definition) {
    const using = definition.raw_default;
    if (!using)
        return true;
    return 'ColumnRef' in using && strings(using.ColumnRef.fields).at(-1) === column;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/alter-table.ts




/** ALTER TABLE's subcommands: dropped columns, and the locks and rewrites on a table that has rows. */
function lintAlterTable(cmd, relation, context) {
    const { report, created } = context;
    const table = tableName(relation);
    const def = cmd.def;
    if (cmd.subtype === 'AT_DropColumn') {
        if (cmd.name)
            created.forgetColumn(relation, cmd.name);
        if (created.has(relation))
            return;
        report('drop-column', `DROP COLUMN ${table}.${cmd.name} deletes the column's data. The release running now may still read it: drop it in a later release.`, { destructive: true });
        return;
    }
    if (cmd.subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
        lintAddColumn(def.ColumnDef, relation, context);
        if (def.ColumnDef.colname)
            created.declareColumn(relation, def.ColumnDef.colname, def.ColumnDef.typeName);
        return;
    }
    if (cmd.subtype === 'AT_AlterColumnType' && def && 'ColumnDef' in def && cmd.name) {
        lintAlterColumnType(cmd.name, def.ColumnDef, relation, context);
        created.declareColumn(relation, cmd.name, def.ColumnDef.typeName);
        return;
    }
    if (isNewTable(context, relation))
        return;
    if (cmd.subtype === 'AT_SetNotNull') {
        report('set-not-null', `SET NOT NULL on ${table}.${cmd.name} scans the whole table under an ACCESS EXCLUSIVE lock that blocks reads and writes: ` +
            `add CHECK (${cmd.name} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in another migration, then SET NOT NULL (PostgreSQL 12+ then skips the scan).`);
    }
    else if (cmd.subtype === 'AT_AddConstraint' && def && 'Constraint' in def) {
        lintAddConstraint(def.Constraint, table, report);
    }
}
function lintAddConstraint(constraint, table, report) {
    const name = constraint.conname ? ` ${constraint.conname}` : '';
    if ((constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_PRIMARY') &&
        !constraint.indexname) {
        const kind = constraint.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE';
        report(constraint.contype === 'CONSTR_PRIMARY' ? 'add-primary-key' : 'add-unique-constraint', `ADD${constraint.conname ? ` CONSTRAINT${name}` : ''} ${kind} builds an index on ${table} while holding an ACCESS EXCLUSIVE lock that blocks reads and writes: ` +
            `CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … ${kind} USING INDEX.`);
    }
    else if ((constraint.contype === 'CONSTR_FOREIGN' || constraint.contype === 'CONSTR_CHECK') &&
        !constraint.skip_validation) {
        const kind = constraint.contype === 'CONSTR_FOREIGN' ? 'FOREIGN KEY' : 'CHECK';
        report('validating-constraint', `ADD ${kind}${name} on ${table} checks every existing row while holding a lock that blocks writes: ` +
            'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration, which lets writes go on.');
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/create-index.ts



/**
 * CREATE INDEX without CONCURRENTLY takes a SHARE lock on the table for the whole build: reads go on,
 * every write waits (SHARE conflicts with ROW EXCLUSIVE, which INSERT, UPDATE and DELETE take).
 * A materialized view takes no writes: what waits is REFRESH MATERIALIZED VIEW (ACCESS EXCLUSIVE, or
 * EXCLUSIVE with CONCURRENTLY), and a plain REFRESH waiting in the lock queue makes the reads that
 * come after it wait too. That matters only when the view is large enough for the build to take a
 * while: a notice then, nothing below SMALL_TABLE_BYTES.
 */
function lintCreateIndex(index, context) {
    const { relation, concurrent, idxname } = index;
    if (!relation || concurrent || isNewTable(context, relation))
        return;
    const name = idxname ? ` ${idxname}` : '';
    const facts = relationFacts(context, relation);
    if (facts?.kind === 'materialized view') {
        if (isSmall(facts))
            return;
        context.report('create-index-materialized-view', `CREATE INDEX${name} on the materialized view ${tableName(relation)}${sizeNote(facts)} without CONCURRENTLY holds a SHARE lock while the index builds: ` +
            'reads go on, but REFRESH MATERIALIZED VIEW waits for the build, and a plain REFRESH waiting for its ACCESS EXCLUSIVE lock holds up the reads queued behind it. ' +
            'CREATE INDEX CONCURRENTLY works on a materialized view too (Gantry runs that file outside a transaction).', { severity: 'notice' });
        return;
    }
    const fix = facts?.kind === 'partitioned table'
        ? 'CONCURRENTLY is not possible on a partitioned table: CREATE INDEX … ON ONLY the table (instant, the index starts invalid), CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX … ATTACH PARTITION each of them.'
        : 'use CREATE INDEX CONCURRENTLY (Gantry runs that file outside a transaction).';
    context.report('create-index-non-concurrently', `CREATE INDEX${name} on ${tableName(relation)}${sizeNote(facts)} without CONCURRENTLY blocks every write to the table while the index builds: ${fix}`);
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/destructive.ts



/** The rules for statements that destroy data: refused unless allow-destructive is true. */
/**
 * DROP TABLE of a table the batch created deletes nothing anyone had; so does DROP TABLE IF EXISTS of
 * one the database does not have (a clean-up that finds nothing), which the catalog tells when lint
 * has it, or of one the batch dropped already.
 */
function lintDrop(drop, context) {
    const { created, report } = context;
    if (drop.removeType === 'OBJECT_TABLE') {
        for (const object of drop.objects ?? []) {
            const relation = droppedRelation(object);
            if (created.has(relation)) {
                created.forget(relation);
                continue;
            }
            const findsNothing = drop.missing_ok === true && (absentFromDatabase(context, relation) || created.wasDropped(relation));
            created.drop(relation);
            if (findsNothing)
                continue;
            report('drop-table', `DROP TABLE ${tableName(relation)} deletes the table and all its rows. The release running now may still use it: ` +
                'drop it in a later release, once no code reads it.', { destructive: true });
        }
    }
    else if (drop.removeType === 'OBJECT_SCHEMA') {
        for (const name of strings(drop.objects)) {
            report('drop-schema', `DROP SCHEMA ${name} deletes the schema and, with CASCADE, every table in it.`, {
                destructive: true,
            });
        }
    }
}
/** A DROP TABLE object, a list of names: `[schema,] table`. */
function droppedRelation(object) {
    const names = 'List' in object ? strings(object.List.items) : [];
    return { relname: names.at(-1), schemaname: names.length > 1 ? names.at(-2) : undefined };
}
function lintDropDatabase(name, report) {
    report('drop-database', `DROP DATABASE ${name} deletes a whole database.`, { destructive: true });
}
function lintTruncate(relations, created, report) {
    for (const relation of rangeVars(relations)) {
        if (created.has(relation))
            continue;
        report('truncate', `TRUNCATE ${tableName(relation)} deletes every row of the table.`, {
            destructive: true,
        });
    }
}
function lintDelete(relation, whereClause, created, report) {
    if (relation && !whereClause && !created.has(relation)) {
        report('delete-without-where', `DELETE FROM ${tableName(relation)} without WHERE deletes every row of the table.`, { destructive: true });
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/renames.ts

/** Renames the release running now does not know about. */
function lintRename(rename, created, report) {
    const { renameType, relation, subname, newname } = rename;
    if (!relation)
        return;
    // Whatever carries either name afterwards may be an old table: neither counts as new any more.
    if (renameType === 'OBJECT_TABLE') {
        const isNew = created.has(relation);
        created.forgetName(relation);
        if (newname)
            created.forgetName({ relname: newname });
        if (isNew)
            return;
    }
    else if (renameType === 'OBJECT_COLUMN') {
        // Both column names now hold something else: their types are no longer the catalog's.
        if (subname)
            created.forgetColumn(relation, subname);
        if (newname)
            created.forgetColumn(relation, newname);
        if (created.has(relation))
            return;
    }
    else if (created.has(relation))
        return;
    const expandContract = 'The release running now still uses the old name until the deploy finishes: add the new name, move the code to it, and remove the old one in a later release.';
    if (renameType === 'OBJECT_TABLE') {
        report('rename-table', `Renaming table ${tableName(relation)} to ${newname}. ${expandContract}`);
    }
    else if (renameType === 'OBJECT_COLUMN') {
        report('rename-column', `Renaming column ${tableName(relation)}.${subname} to ${newname}. ${expandContract}`);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/transactions.ts
/** Transaction control inside a file Gantry runs in its own transaction. */
function lintTransaction(kind, report, outside) {
    // Savepoints work inside Gantry's transaction; files run outside one may manage their own.
    if (outside ||
        kind === 'TRANS_STMT_SAVEPOINT' ||
        kind === 'TRANS_STMT_RELEASE' ||
        kind === 'TRANS_STMT_ROLLBACK_TO') {
        return;
    }
    report('transaction-control', `${transactionWord(kind)} in a migration: Gantry runs each file in its own transaction, and this would end it early, ` +
        'so a later failure could no longer be rolled back. Remove it (or add "-- gantry:no-transaction" to manage transactions yourself).', { severity: 'error' });
}
function transactionWord(kind) {
    const words = {
        TRANS_STMT_BEGIN: 'BEGIN',
        TRANS_STMT_START: 'START TRANSACTION',
        TRANS_STMT_COMMIT: 'COMMIT',
        TRANS_STMT_ROLLBACK: 'ROLLBACK',
        TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
        TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
        TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
    };
    return words[kind ?? ''] ?? 'A transaction statement';
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint.ts










/** Lints the scripts in the order they would run. */
function lintScripts(targets, options) {
    const findings = [];
    const created = new CreatedTables();
    const functions = new Map();
    const { facts } = options;
    const isVolatile = (name) => {
        if (WELL_KNOWN_VOLATILE.has(name))
            return true;
        const declared = functions.get(name);
        if (declared !== undefined)
            return declared;
        // Not in the database and not created in a way lint can see: VOLATILE is CREATE FUNCTION's default.
        return facts ? (facts.functions.get(name) ?? true) : false;
    };
    // Domains the batch creates, by bare name (whatever schema it writes): whether they have constraints.
    const domains = new Map();
    const isConstrainedDomain = (names) => domains.get(names.at(-1) ?? '') ?? facts?.constrainedDomains.has(typeKey(names)) ?? false;
    for (const { migration, script } of targets) {
        const at = (line, endLine) => (rule, message, { destructive = false, severity } = {}) => {
            const refused = destructive && !options.allowDestructive;
            findings.push({
                rule,
                severity: severity ?? (refused ? 'error' : 'warning'),
                destructive,
                script: migration.script,
                file: migration.annotationPath,
                line,
                endLine,
                message: refused ? `${message} Set allow-destructive: true to run it anyway.` : message,
            });
        };
        for (const { directive, line } of script.unknownDirectives) {
            at(line, line)('unknown-directive', `"-- gantry:${directive}" is not a Gantry directive (the only one is "-- gantry:no-transaction"), so it has no effect.`);
        }
        const outside = script.outsideTransaction;
        if (outside && script.statements.length > 1) {
            at(outside.line, outside.line)('no-transaction', `${migration.script} runs outside a transaction, because of ${outside.reason} (line ${outside.line}): ` +
                `its ${script.statements.length} statements run one by one, and when one fails the ones before it stay applied. ` +
                'Keep such a file to one statement, or make each statement safe to repeat (IF NOT EXISTS).', { severity: 'notice' });
        }
        // Gantry resets the session after each file: each starts in the database's time zone.
        let timeZone = facts?.timeZone;
        for (const statement of script.statements) {
            const context = {
                report: at(statement.line, statement.endLine),
                created,
                facts,
                outside: outside !== undefined,
                timeZone,
                isVolatile,
                isConstrainedDomain,
            };
            // One walk of the tree: set_config() may be called anywhere in it.
            const resolution = changesNameResolution(statement.node, statement.sql);
            timeZone = timeZoneAfter(statement.node, timeZone, facts, resolution, outside !== undefined);
            if (resolution)
                created.resolutionChanged();
            lintStatement(statement, context, functions, domains);
        }
        created.endFile();
    }
    return findings;
}
function lintStatement(statement, context, functions, domains) {
    const { created, report, outside } = context;
    const node = statement.node;
    if ('CreateStmt' in node) {
        const { relation, if_not_exists, oncommit } = node.CreateStmt;
        if (relation && (!if_not_exists || surelyCreates(context, relation)))
            created.add(relation, { outside, dropAtCommit: oncommit === 'ONCOMMIT_DROP' });
    }
    else if ('CreateTableAsStmt' in node) {
        const { into, if_not_exists } = node.CreateTableAsStmt;
        if (into?.rel && (!if_not_exists || surelyCreates(context, into.rel))) {
            created.add(into.rel, { outside, dropAtCommit: into.onCommit === 'ONCOMMIT_DROP' });
        }
    }
    else if ('SelectStmt' in node && node.SelectStmt.intoClause?.rel) {
        const { rel, onCommit } = node.SelectStmt.intoClause;
        created.add(rel, { outside, dropAtCommit: onCommit === 'ONCOMMIT_DROP' });
    }
    else if ('CreateFunctionStmt' in node) {
        const name = strings(node.CreateFunctionStmt.funcname).at(-1);
        if (name)
            functions.set(name, declaredVolatile(node.CreateFunctionStmt.options));
    }
    else if ('CreateDomainStmt' in node) {
        const { domainname, typeName, constraints } = node.CreateDomainStmt;
        const name = strings(domainname).at(-1);
        const checks = (constraints ?? []).some((constraint) => 'Constraint' in constraint &&
            (constraint.Constraint.contype === 'CONSTR_CHECK' ||
                constraint.Constraint.contype === 'CONSTR_NOTNULL'));
        const base = strings(typeName?.names);
        if (name)
            domains.set(name, checks || ((typeName?.arrayBounds ?? []).length === 0 && context.isConstrainedDomain(base)));
    }
    else if ('AlterObjectSchemaStmt' in node && node.AlterObjectSchemaStmt.relation) {
        created.forgetName(node.AlterObjectSchemaStmt.relation);
    }
    else if ('TransactionStmt' in node)
        lintTransaction(node.TransactionStmt.kind, report, outside);
    else if ('DropStmt' in node)
        lintDrop(node.DropStmt, context);
    else if ('DropdbStmt' in node)
        lintDropDatabase(node.DropdbStmt.dbname, report);
    else if ('TruncateStmt' in node)
        lintTruncate(node.TruncateStmt.relations, created, report);
    else if ('DeleteStmt' in node) {
        lintDelete(node.DeleteStmt.relation, node.DeleteStmt.whereClause, created, report);
    }
    else if ('RenameStmt' in node)
        lintRename(node.RenameStmt, created, report);
    else if ('IndexStmt' in node)
        lintCreateIndex(node.IndexStmt, context);
    else if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') {
        const { relation, cmds } = node.AlterTableStmt;
        if (!relation)
            return;
        for (const cmd of cmds ?? []) {
            if ('AlterTableCmd' in cmd)
                lintAlterTable(cmd.AlterTableCmd, relation, context);
        }
    }
}
/**
 * CREATE TABLE IF NOT EXISTS may well find the table there already, with its rows: it surely creates
 * one only when the database does not have it, or the batch dropped it first.
 */
function surelyCreates(context, relation) {
    return absentFromDatabase(context, relation) || context.created.wasDropped(relation);
}
/**
 * The session's TimeZone after `node`: SET TIME ZONE and RESET change it; set_config(), which
 * `callsSetConfig` says the statement may call, makes it unknown. So does SET LOCAL in a file run
 * outside a transaction: it changes nothing outside a BEGIN … COMMIT block, and lasts only to its end inside one.
 */
function timeZoneAfter(node, before, facts, callsSetConfig, outside) {
    if (!('VariableSetStmt' in node))
        return callsSetConfig ? undefined : before;
    const set = node.VariableSetStmt;
    if (set.kind === 'VAR_RESET_ALL')
        return facts?.timeZone;
    if (set.name !== 'timezone')
        return before;
    if (set.is_local && outside)
        return undefined;
    if (set.kind === 'VAR_SET_VALUE') {
        const [value] = set.args ?? [];
        return value && 'A_Const' in value ? value.A_Const.sval?.sval : undefined;
    }
    return set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET' ? facts?.timeZone : undefined;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/lint/catalog-request.ts




/**
 * What lint will ask the database about the whole batch, gathered from the statements' top-level
 * nodes before it runs, so that one query answers for every file: the tables that CREATE INDEX,
 * ALTER TABLE, CREATE TABLE IF NOT EXISTS and DROP TABLE IF EXISTS name (less those a plain CREATE TABLE in the batch made
 * first), the columns whose type changes, the functions that ADD COLUMN defaults call, and the types
 * ADD COLUMN gives existing tables (a domain with constraints rewrites the table).
 */
function catalogRequest(scripts) {
    const created = new Set();
    const relations = new Map();
    const columns = new Map();
    const functions = new Set();
    const types = new Map();
    const ask = (relation) => {
        if (!relation?.relname || created.has(relationKey(relation)))
            return;
        relations.set(relationKey(relation), { relname: relation.relname, schemaname: relation.schemaname });
    };
    for (const script of scripts) {
        for (const { node } of script.statements) {
            if ('CreateStmt' in node) {
                const { relation, if_not_exists } = node.CreateStmt;
                if (if_not_exists)
                    ask(relation);
                else if (relation)
                    created.add(relationKey(relation));
            }
            else if ('CreateTableAsStmt' in node && node.CreateTableAsStmt.if_not_exists) {
                ask(node.CreateTableAsStmt.into?.rel);
            }
            else if ('DropStmt' in node &&
                node.DropStmt.missing_ok &&
                node.DropStmt.removeType === 'OBJECT_TABLE') {
                for (const object of node.DropStmt.objects ?? [])
                    ask(droppedRelation(object));
            }
            else if ('IndexStmt' in node && !node.IndexStmt.concurrent) {
                ask(node.IndexStmt.relation);
            }
            else if ('AlterTableStmt' in node && node.AlterTableStmt.objtype === 'OBJECT_TABLE') {
                const { relation, cmds } = node.AlterTableStmt;
                ask(relation);
                const isNew = relation !== undefined && created.has(relationKey(relation));
                for (const cmd of cmds ?? [])
                    askAbout(cmd, isNew ? undefined : relation, { columns, functions, types });
            }
        }
    }
    return {
        relations: [...relations.values()],
        columns: [...columns.values()],
        functions: [...functions],
        types: [...types.values()],
    };
}
/**
 * The column whose type changes and the type a column is added with (`relation` undefined for a
 * table the batch created), and every function an ADD COLUMN default calls: lint asks the facts
 * about each of them, so each is asked.
 */
function askAbout(cmd, relation, { columns, functions, types, }) {
    if (!('AlterTableCmd' in cmd))
        return;
    const { subtype, name, def } = cmd.AlterTableCmd;
    if (subtype === 'AT_AlterColumnType' && name && relation?.relname) {
        columns.set(`${relationKey(relation)}\0${name}`, {
            relation: { relname: relation.relname, schemaname: relation.schemaname },
            column: name,
        });
    }
    else if (subtype === 'AT_AddColumn' && def && 'ColumnDef' in def) {
        const names = strings(def.ColumnDef.typeName?.names);
        if (relation && names.length > 0 && (def.ColumnDef.typeName?.arrayBounds ?? []).length === 0) {
            types.set(typeKey(names), {
                schema: names.length > 1 ? (names.at(-2) ?? null) : null,
                name: names.at(-1),
            });
        }
        for (const constraint of def.ColumnDef.constraints ?? []) {
            if ('Constraint' in constraint && constraint.Constraint.contype === 'CONSTR_DEFAULT') {
                for (const fn of calledFunctions(constraint.Constraint.raw_expr))
                    functions.add(fn);
            }
        }
    }
}

// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(8877);
var external_node_v8_default = /*#__PURE__*/__webpack_require__.n(external_node_v8_);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/line-index.ts
/** Byte offset -> line and column, by binary search over the offsets of the newlines. */
class LineIndex {
    newlines = [];
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        for (let offset = bytes.indexOf(10); offset >= 0; offset = bytes.indexOf(10, offset + 1)) {
            this.newlines.push(offset);
        }
    }
    /** 1-based: the number of newlines before `offset`, plus one. */
    lineAt(offset) {
        let low = 0;
        let high = this.newlines.length;
        while (low < high) {
            const middle = (low + high) >>> 1;
            if (this.newlines[middle] < offset)
                low = middle + 1;
            else
                high = middle;
        }
        return low + 1;
    }
    /** 1-based, in characters. */
    columnAt(offset) {
        const line = this.lineAt(offset);
        const start = line === 1 ? 0 : this.newlines[line - 2] + 1;
        return this.bytes.subarray(start, offset).toString('utf8').length + 1;
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/statement.ts
class SqlSyntaxError extends Error {
    line;
    column;
    constructor(message, line, column) {
        super(message);
        this.name = 'SqlSyntaxError';
        this.line = line;
        this.column = column;
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/split-statements.ts

/**
 * A file's statements, split and classified by PostgreSQL's parser, with the data of each
 * `COPY … FROM STDIN` taken out of the SQL, as psql takes it: the lines after the COPY's semicolon,
 * up to a line holding only `\.` (or the end of the file), are rows for the server, not SQL.
 *
 * A file without such a COPY is parsed once, as a whole. When a COPY is there, the parser meets its
 * rows as a syntax error; the SQL before that error is parsed again, cut after a semicolon, to find
 * the COPY that starts the rows. Whatever SQL follows the rows is parsed the same way from the line
 * after `\.`. A syntax error with no COPY … FROM STDIN before it is reported as it is.
 */
function splitStatements(bytes, lines, parser) {
    const statements = [];
    let from = 0;
    while (from < bytes.length) {
        const parsed = parseRange(bytes, from, bytes.length, parser);
        if (!parsed)
            break;
        const candidates = 'failure' in parsed ? copyBefore(bytes, from, parsed.failure.offset, parser) : parsed.statements;
        const copyIndex = candidates ? candidates.findIndex(({ node }) => isCopyFromStdin(node)) : -1;
        if (!candidates || copyIndex === -1) {
            if ('failure' in parsed)
                throw syntaxError(parsed.failure, lines);
            statements.push(...parsed.statements.map((raw) => statementOf(raw, bytes, lines)));
            break;
        }
        // Whatever the parser made of the lines after the COPY was its rows.
        const copy = candidates[copyIndex];
        statements.push(...candidates.slice(0, copyIndex).map((raw) => statementOf(raw, bytes, lines)));
        const data = copyDataAfter(copy, bytes, lines);
        statements.push({ ...statementOf(copy, bytes, lines), copyData: data.copyData });
        from = data.next;
    }
    return statements;
}
/** Parses bytes [from, to); undefined when there is nothing but white space. */
function parseRange(bytes, from, to, parser) {
    const text = bytes.subarray(from, to).toString('utf8');
    if (text.trim() === '')
        return undefined;
    let result;
    try {
        result = parser.parse(text);
    }
    catch (error) {
        const details = error.sqlDetails;
        // The parser's cursor counts characters (code points); offsets here are bytes.
        const offset = from + byteOffsetOfCodePoint(text, details?.cursorPosition ?? 0);
        return { failure: { message: error.message, offset } };
    }
    const statements = (result.stmts ?? []).flatMap((raw) => {
        if (!raw.stmt)
            return [];
        // Byte offsets: the parser counts UTF-8 bytes in locations, not characters.
        const start = from + (raw.stmt_location ?? 0);
        const end = raw.stmt_len ? start + raw.stmt_len : to;
        return [{ start, end, terminated: bytes[end] === SEMICOLON && end < to, node: raw.stmt }];
    });
    return { statements };
}
/**
 * The statements before a syntax error at `errorOffset`, when they include a COPY … FROM STDIN
 * whose rows could be what the parser choked on: the longest prefix ending in a semicolon that
 * parses. Each try ends before the last one's error, so this ends.
 */
function copyBefore(bytes, from, errorOffset, parser) {
    let limit = errorOffset;
    for (;;) {
        const semicolon = limit > from ? bytes.lastIndexOf(SEMICOLON, limit - 1) : -1;
        if (semicolon < from)
            return undefined;
        const prefix = parseRange(bytes, from, semicolon + 1, parser);
        if (!prefix)
            return undefined;
        if (!('failure' in prefix))
            return prefix.statements;
        limit = Math.min(prefix.failure.offset, semicolon);
    }
}
/** COPY … FROM STDIN; not FROM a server file or PROGRAM, which the server reads itself. */
function isCopyFromStdin(node) {
    return 'CopyStmt' in node && node.CopyStmt.is_from === true && node.CopyStmt.filename === undefined;
}
const SEMICOLON = 0x3b;
const NEWLINE = 0x0a;
const END_OF_DATA = Buffer.from('\\.');
/**
 * The rows of a COPY … FROM STDIN: from the line after its semicolon to the first line that holds
 * only `\.` (a CR before the newline allowed), or to the end of the file; `next` is where SQL
 * starts again.
 */
function copyDataAfter(copy, bytes, lines) {
    const line = lines.lineAt(copy.start);
    if (!copy.terminated) {
        throw new SqlSyntaxError('COPY … FROM STDIN must end with a semicolon, with its rows on the lines after it and a line "\\." after the last row', line, 1);
    }
    const lineEnd = bytes.indexOf(NEWLINE, copy.end);
    const rest = bytes.subarray(copy.end + 1, lineEnd === -1 ? bytes.length : lineEnd).toString('utf8');
    if (!/^\s*(--.*)?$/.test(rest)) {
        throw new SqlSyntaxError(`text after the semicolon of COPY … FROM STDIN on the same line ("${rest.trim()}"): its rows start on the next line, so put that text on a line of its own`, lines.lineAt(copy.end), lines.columnAt(copy.end + 1));
    }
    const start = lineEnd === -1 ? bytes.length : lineEnd + 1;
    for (let marker = bytes.indexOf(END_OF_DATA, start); marker !== -1; marker = bytes.indexOf(END_OF_DATA, marker + 1)) {
        if (marker !== start && bytes[marker - 1] !== NEWLINE)
            continue;
        let after = marker + END_OF_DATA.length;
        if (bytes[after] === 0x0d)
            after++;
        if (after < bytes.length && bytes[after] !== NEWLINE)
            continue;
        return {
            copyData: { bytes: bytes.subarray(start, marker), line: lines.lineAt(start) },
            next: Math.min(after + 1, bytes.length),
        };
    }
    return { copyData: { bytes: bytes.subarray(start), line: lines.lineAt(start) }, next: bytes.length };
}
function statementOf(raw, bytes, lines) {
    const sql = bytes.subarray(raw.start, raw.end).toString('utf8').trimEnd();
    return {
        sql,
        line: lines.lineAt(raw.start),
        endLine: lines.lineAt(raw.start + Buffer.byteLength(sql, 'utf8') - 1),
        kind: Object.keys(raw.node)[0],
        node: raw.node,
    };
}
function syntaxError(failure, lines) {
    return new SqlSyntaxError(failure.message, lines.lineAt(failure.offset), lines.columnAt(failure.offset));
}
/** The UTF-8 byte offset of the `index`-th code point of `text`. */
function byteOffsetOfCodePoint(text, index) {
    let bytes = 0;
    let seen = 0;
    for (const character of text) {
        if (seen === index)
            break;
        const point = character.codePointAt(0);
        bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
        seen++;
    }
    return bytes;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/sql-script.ts






/**
 * V8 recompiles hot WebAssembly functions with TurboFan on a background thread, and a process cannot
 * exit while such a job runs: for the parser's huge generated grammar function that kept every run
 * alive 0.6 to 1.5 s after its work was done, longer than the work. The baseline (Liftoff) code parses
 * a thousand migrations in about 0.2 s, so tier-up is limited to a function index that does not exist.
 */
const NO_WASM_TIER_UP = '--wasm-tier-up-filter=2147483647';
/** Loads the parser's WebAssembly module (some 30 ms), only for the commands that read SQL. */
async function loadSqlParser() {
    external_node_v8_default().setFlagsFromString(NO_WASM_TIER_UP);
    const parser = await withWasmDirectory(() => __webpack_require__.e(/* import() */ 627).then(__webpack_require__.t.bind(__webpack_require__, 2627, 23)));
    await parser.loadModule();
    return { parse: (sql) => parser.parseSync(sql) };
}
/**
 * libpg-query's Emscripten loader looks for libpg-query.wasm in `__dirname`, which its CommonJS file
 * has in node_modules but the ES module bundle built by ncc does not. The `new URL(…, import.meta.url)`
 * below makes ncc ship the file beside the bundle (and rewrites the URL into that file's path); while
 * the module loads, a global `__dirname` naming that directory stands in for the missing one.
 */
async function withWasmDirectory(load) {
    const shipped = __webpack_require__.ab + "libpg-query.wasm";
    const file = shipped instanceof URL ? (0,external_node_url_.fileURLToPath)(shipped) : shipped;
    const global = globalThis;
    if ('__dirname' in global)
        return load();
    global.__dirname = external_node_path_default().dirname(file);
    try {
        return await load();
    }
    finally {
        delete global.__dirname;
    }
}
const NO_TRANSACTION_DIRECTIVE = 'no-transaction';
/** `serverVersion` is server_version_num (150004): what runs in a transaction depends on it. */
function readScript(sql, parser, serverVersion) {
    const bytes = Buffer.from(sql, 'utf8');
    const { directives, unknownDirectives } = readDirectives(sql);
    const statements = splitStatements(bytes, new LineIndex(bytes), parser);
    const forced = directives.get(NO_TRANSACTION_DIRECTIVE);
    let outsideTransaction = forced === undefined
        ? undefined
        : { reason: `the "-- gantry:${NO_TRANSACTION_DIRECTIVE}" header`, line: forced };
    for (const statement of statements) {
        if (outsideTransaction)
            break;
        const reason = cannotRunInTransaction(statement.node, serverVersion);
        if (reason)
            outsideTransaction = { reason, line: statement.line };
    }
    return { statements, outsideTransaction, unknownDirectives };
}
/**
 * `-- gantry:<word>` lines in the comment block that opens the file (before the first statement);
 * returns each known directive's line.
 */
function readDirectives(sql) {
    const directives = new Map();
    const unknownDirectives = [];
    const lineBreak = /\r?\n|\r/g;
    for (let start = 0, number = 1; start <= sql.length; number++) {
        const found = lineBreak.exec(sql);
        const line = sql.slice(start, found ? found.index : sql.length).trim();
        start = found ? found.index + found[0].length : sql.length + 1;
        if (line === '')
            continue;
        if (!line.startsWith('--'))
            break;
        const match = /^--\s*gantry:\s*(\S+)\s*$/i.exec(line);
        if (!match)
            continue;
        const directive = match[1].toLowerCase();
        if (directive === NO_TRANSACTION_DIRECTIVE)
            directives.set(directive, number);
        else
            unknownDirectives.push({ directive: match[1], line: number });
    }
    return { directives, unknownDirectives };
}
/** PostgreSQL 12 lets ALTER TYPE … ADD VALUE run in a transaction block. */
const ENUM_ADD_VALUE_IN_TRANSACTION = 120000;
/**
 * The statements PostgreSQL refuses inside a transaction block ("cannot run inside a transaction
 * block"), as a label for messages; undefined for everything else.
 */
function cannotRunInTransaction(node, serverVersion) {
    if ('IndexStmt' in node && node.IndexStmt.concurrent)
        return 'CREATE INDEX CONCURRENTLY';
    if ('DropStmt' in node && node.DropStmt.concurrent)
        return 'DROP INDEX CONCURRENTLY';
    if ('ReindexStmt' in node) {
        const { kind, params } = node.ReindexStmt;
        if (kind === 'REINDEX_OBJECT_DATABASE' || kind === 'REINDEX_OBJECT_SYSTEM')
            return `REINDEX ${kind.slice(15)}`;
        if (params?.some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently')) {
            return 'REINDEX CONCURRENTLY';
        }
    }
    if ('VacuumStmt' in node && node.VacuumStmt.is_vacuumcmd)
        return 'VACUUM';
    if ('ClusterStmt' in node && !node.ClusterStmt.relation)
        return 'CLUSTER without a table';
    if ('CreatedbStmt' in node)
        return 'CREATE DATABASE';
    if ('DropdbStmt' in node)
        return 'DROP DATABASE';
    if ('CreateTableSpaceStmt' in node)
        return 'CREATE TABLESPACE';
    if ('DropTableSpaceStmt' in node)
        return 'DROP TABLESPACE';
    if ('AlterSystemStmt' in node)
        return 'ALTER SYSTEM';
    if ('CreateSubscriptionStmt' in node)
        return 'CREATE SUBSCRIPTION';
    if ('DropSubscriptionStmt' in node)
        return 'DROP SUBSCRIPTION';
    if ('AlterEnumStmt' in node && node.AlterEnumStmt.newVal && serverVersion < ENUM_ADD_VALUE_IN_TRANSACTION) {
        return 'ALTER TYPE … ADD VALUE (before PostgreSQL 12)';
    }
    if ('AlterTableStmt' in node &&
        node.AlterTableStmt.cmds?.some((cmd) => 'AlterTableCmd' in cmd &&
            cmd.AlterTableCmd.subtype === 'AT_DetachPartition' &&
            cmd.AlterTableCmd.def !== undefined &&
            'PartitionCmd' in cmd.AlterTableCmd.def &&
            cmd.AlterTableCmd.def.PartitionCmd.concurrent)) {
        return 'DETACH PARTITION CONCURRENTLY';
    }
    return undefined;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/commands/prepare.ts




async function prepareMigrations(migrations, parser, serverVersion, options) {
    const prepared = [];
    const syntaxErrors = [];
    for (const { migration, type } of migrations) {
        try {
            prepared.push({ migration, type, script: readScript(migration.sql, parser, serverVersion) });
        }
        catch (error) {
            if (!(error instanceof SqlSyntaxError))
                throw error;
            syntaxErrors.push({
                rule: 'syntax-error',
                severity: 'error',
                destructive: false,
                script: migration.script,
                file: migration.annotationPath,
                line: error.line,
                endLine: error.line,
                message: `${migration.script} line ${error.line}, column ${error.column}: ${error.message} (PostgreSQL's parser).`,
            });
        }
    }
    const facts = options.database
        ? await readCatalogFacts(options.database, catalogRequest(prepared.map(({ script }) => script)))
        : undefined;
    const findings = [
        ...syntaxErrors,
        ...lintScripts(prepared, { allowDestructive: options.allowDestructive, facts }),
    ];
    return { prepared, findings, blocking: findings.filter((finding) => finding.severity === 'error') };
}

// EXTERNAL MODULE: ./actions/migrate/src/native/files/version.ts
var files_version = __webpack_require__(5573);
;// CONCATENATED MODULE: ./actions/migrate/src/native/commands/state.ts

function analyse(set, rows) {
    // One map serves both the files by key and the versions by text: with ten thousand applied
    // versions, building maps is most of the analysis, and a plain version's text is its key.
    const files = new Map();
    for (const file of set.versioned)
        files.set(file.version.key, file);
    const appliedRows = new Map();
    const repeatableChecksums = new Map();
    /** The latest attempt of each migration, kept only while it is a failure: few ever are. */
    const failedAttempts = new Map();
    let baseline;
    for (const row of rows) {
        const version = row.version === null ? undefined : versionOf(row.version, files);
        // The identity is only needed while some attempt failed: most histories have none.
        if (row.type !== 'baseline' && (!row.success || failedAttempts.size > 0)) {
            const identity = row.type === 'repeatable' ? `R:${row.description}` : `V:${version?.key}`;
            if (!row.success)
                failedAttempts.set(identity, row);
            else
                failedAttempts.delete(identity);
        }
        if (!row.success)
            continue;
        if (row.type === 'repeatable')
            repeatableChecksums.set(row.description, row.checksum);
        else if (!version)
            continue;
        else if (row.type === 'baseline')
            baseline = version;
        else if (row.type === 'versioned')
            appliedRows.set(version.key, { version, row });
        else
            appliedRows.delete(version.key);
    }
    const applied = [...appliedRows.values()]
        .sort((a, b) => (0,files_version/* compareVersions */.Z)(a.version, b.version))
        .map(({ version, row }) => ({ version, row, file: files.get(version.key) }));
    const highestApplied = applied.at(-1)?.version;
    const currentVersion = maxVersion(highestApplied, baseline);
    const pendingVersioned = [];
    const belowBaseline = [];
    for (const file of set.versioned) {
        const version = file.version;
        if (appliedRows.has(version.key))
            continue;
        if (baseline && (0,files_version/* compareVersions */.Z)(version, baseline) <= 0)
            belowBaseline.push(file);
        else
            pendingVersioned.push(file);
    }
    const outOfOrder = highestApplied
        ? pendingVersioned.filter((file) => (0,files_version/* compareVersions */.Z)(file.version, highestApplied) < 0)
        : [];
    const pendingRepeatable = set.repeatable.filter((file) => repeatableChecksums.get(file.description) !== file.checksum);
    const failed = [...failedAttempts.values()].sort((a, b) => a.id - b.id);
    return {
        baseline,
        applied,
        currentVersion,
        pendingVersioned,
        pendingRepeatable,
        outOfOrder,
        belowBaseline,
        drift: findDrift(applied, set.versioned.at(-1)?.version),
        failed,
    };
}
function findDrift(applied, highestFile) {
    const drift = [];
    for (const { version, row, file } of applied) {
        if (file) {
            if (row.checksum !== null && row.checksum !== file.checksum) {
                drift.push({
                    kind: 'changed',
                    version: version.text,
                    script: file.script,
                    file: file.annotationPath,
                    message: `${file.script} was changed after it was applied as version ${version.text} ` +
                        `(checksum ${state_short(row.checksum)} when applied, ${state_short(file.checksum)} now): the database does not have the change. ` +
                        'Put the change in a new migration and restore the file.',
                });
            }
        }
        else if (highestFile && (0,files_version/* compareVersions */.Z)(version, highestFile) <= 0) {
            drift.push({
                kind: 'missing',
                version: version.text,
                script: row.script,
                file: undefined,
                message: `Version ${version.text} (${row.script}) is applied, but its file is no longer in migrations-dir: restore it.`,
            });
        }
        else {
            drift.push({
                kind: 'unknown',
                version: version.text,
                script: row.script,
                file: undefined,
                message: `Version ${version.text} (${row.script}) is applied, but is newer than every file in migrations-dir: ` +
                    'the database is ahead of this checkout (a newer release migrated it).',
            });
        }
    }
    return drift;
}
/**
 * A version text from the table; one edited by hand into something else still gets an identity.
 * The version of the file with that text is used as it is, so most rows parse nothing: with
 * thousands of rows, parsing dominates the analysis otherwise.
 */
function versionOf(text, files) {
    const file = files.get(text);
    if (file?.version?.text === text)
        return file.version;
    return (0,files_version/* parseVersion */.o)(text) ?? { text, key: text };
}
function maxVersion(a, b) {
    if (!a)
        return b;
    if (!b)
        return a;
    return (0,files_version/* compareVersions */.Z)(a, b) >= 0 ? a : b;
}
function state_short(checksum) {
    return checksum.slice(0, 12);
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/commands/command-context.ts









async function readHistoryTable(session, history) {
    const historyExisted = await (0,database_history/* historyExists */.z2)(session, history);
    return { historyExisted, rows: historyExisted ? await (0,database_history/* readHistory */.Lu)(session, history) : [] };
}
async function snapshot(context) {
    const { historyExisted, rows } = await (context.earlyHistory ??
        readHistoryTable(context.connection, context.inputs.history));
    return { historyExisted, rows, state: analyse(context.migrations, rows) };
}
function baseOutcome(context, { historyExisted, rows, state }) {
    return {
        command: context.inputs.command,
        target: context.connection.target,
        history: context.inputs.history,
        historyExisted,
        historyCreated: false,
        rows,
        state,
        applied: [],
        pending: pendingOf(state),
        currentVersion: state.currentVersion?.text,
        findings: [],
        drift: state.drift,
        problems: [],
    };
}
/** After a writing command: where the database stands now. */
async function settle(context, outcome) {
    let rows;
    try {
        rows = await (0,database_history/* readHistory */.Lu)(context.connection, context.inputs.history);
    }
    catch (error) {
        // A migration failed because the connection was lost: its problem says so, and the outputs and
        // summary are still due, from the rows read at the start and what this run applied since.
        const lost = error instanceof Error && (0,database_session/* connectionLost */.Bx)(error.cause);
        if (!lost || !outcome.problems.some((problem) => problem.phase === 'run'))
            throw error;
        log/* info */.pq(`The connection is gone, so the history table was not read again: pending-count and current-version come from what this run applied.`);
        const lastId = outcome.rows.at(-1)?.id ?? 0;
        rows = [
            ...outcome.rows,
            ...outcome.applied.map((applied, index) => appliedRow(applied, lastId + index + 1)),
        ];
    }
    const after = analyse(context.migrations, rows);
    return { ...outcome, pending: pendingOf(after), currentVersion: after.currentVersion?.text };
}
/** The history row a migration this run applied wrote, as far as analyse() reads it. */
function appliedRow({ migration, type, executionMs }, id) {
    return {
        id,
        version: migration.version?.text ?? null,
        description: migration.description,
        type,
        script: migration.script,
        checksum: migration.checksum,
        appliedBy: '',
        appliedAt: '',
        executionMs,
        success: true,
        error: null,
    };
}
async function withLock(context, fn) {
    const lock = await acquireMigrationLock(context.connection, context.inputs.history, {
        waitMs: context.inputs.lockWaitMs,
        signal: context.signal,
    });
    try {
        // A cancellation that came while the lock was being taken: nothing has started, nothing may.
        (0,sleep/* throwIfAborted */.Te)(context.signal);
        return await fn();
    }
    finally {
        await lock
            .release()
            .catch((error) => log/* debug */.Yz(`releasing the migration lock: ${(0,errors/* errorMessage */.gJ)(error)}`));
    }
}
/** Drift and out-of-order versions: what stops migrate, plan and validate. */
function orderAndDriftProblems(context, state) {
    return [...blockingDrift(state.drift), ...(context.inputs.outOfOrder ? [] : outOfOrderProblems(state))];
}
/**
 * What plan and migrate both check before anything could run: the database's history against the
 * files (order, drift), and every pending file parsed and linted. Plan stops here; migrate goes on
 * only when nothing blocks, so plan fails on exactly what would stop migrate.
 */
async function checkPending(context) {
    const before = await snapshot(context);
    const outcome = baseOutcome(context, before);
    outcome.problems.push(...orderAndDriftProblems(context, before.state));
    // Nothing pending, nothing to parse: the parser's WebAssembly is not even loaded (plan starts
    // loading it only now, so a plan with nothing to do never pays for it).
    const preparation = outcome.pending.length === 0
        ? { prepared: [], findings: [], blocking: [] }
        : await prepareMigrations(outcome.pending, await context.parser(), context.connection.serverVersion, {
            allowDestructive: context.inputs.allowDestructive,
            database: context.connection,
        });
    outcome.findings = preparation.findings;
    return { before, outcome, preparation };
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/commands/read-commands.ts

/** The read-only commands: plan, validate and info. Their session cannot write, and they take no lock. */
const plan = async (context) => {
    const { before, outcome } = await checkPending(context);
    if (!before.historyExisted)
        outcome.note = `migrate would create ${context.inputs.history.display}.`;
    return outcome;
};
const validate = async (context) => {
    const before = await snapshot(context);
    const outcome = baseOutcome(context, before);
    outcome.problems.push(...orderAndDriftProblems(context, before.state));
    return outcome;
};
const info = async (context) => baseOutcome(context, await snapshot(context));

// EXTERNAL MODULE: ./shared/src/async/retry.ts
var retry = __webpack_require__(3014);
// EXTERNAL MODULE: ./shared/src/runner/secrets.ts
var secrets = __webpack_require__(2663);
// EXTERNAL MODULE: ./actions/migrate/src/native/sql/sql-quote.ts
var sql_quote = __webpack_require__(8071);
;// CONCATENATED MODULE: ./actions/migrate/src/native/database/blockers.ts


const MAX_SHOWN = 3;
async function describeBlockers(session, statement) {
    const relations = relationNames(statement);
    if (relations.length === 0)
        return undefined;
    const rows = await session.query(`SELECT l.pid, a.usename, a.application_name, a.state, l.relation::regclass::text AS relation, l.mode,
            floor(extract(epoch FROM now() - a.xact_start))::int AS seconds
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()
       AND l.relation IN (SELECT to_regclass(name) FROM unnest($1::text[]) AS name)
     ORDER BY a.xact_start NULLS LAST, l.pid`, [relations]);
    if (rows.length === 0)
        return undefined;
    const byPid = new Map();
    for (const row of rows)
        byPid.set(row.pid, [...(byPid.get(row.pid) ?? []), row]);
    const described = [...byPid.values()].slice(0, MAX_SHOWN).map((locks) => {
        const first = locks[0];
        const held = locks.map((lock) => `${lock.mode} on ${lock.relation}`).join(', ');
        const age = first.seconds === null ? '' : `, transaction open for ${(0,duration/* formatDuration */.a)(first.seconds * 1000)}`;
        return `server process ${first.pid} (user ${first.usename ?? '?'}, application "${first.application_name ?? ''}", ${first.state ?? 'unknown state'}${age}) holds ${held}`;
    });
    const more = byPid.size > MAX_SHOWN ? ` and ${byPid.size - MAX_SHOWN} more` : '';
    return `${described.join('; ')}${more}`;
}
/** Every table-like name in the parse tree (RangeVar nodes carry `relname`), quoted for to_regclass. */
function relationNames(node) {
    const names = new Set();
    const visit = (value) => {
        if (Array.isArray(value)) {
            value.forEach(visit);
            return;
        }
        if (typeof value !== 'object' || value === null)
            return;
        const record = value;
        if (typeof record.relname === 'string') {
            const schema = typeof record.schemaname === 'string' ? `${(0,sql_quote/* quoteIdentifier */.C)(record.schemaname)}.` : '';
            names.add(`${schema}${(0,sql_quote/* quoteIdentifier */.C)(record.relname)}`);
        }
        Object.values(record).forEach(visit);
    };
    visit(node);
    return [...names];
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/apply-failure.ts









/**
 * How a migration that failed is reported: the error that names the file, the line and the cause,
 * and the history row of the failed attempt.
 */
const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';
class MigrationFailedError extends errors/* ActionError */.lZ {
    migration;
    /** The line of the statement that failed (of the error inside it, when the server says where). */
    line;
    constructor(migration, line, message, hint) {
        super(message, hint === undefined ? {} : { hint });
        this.name = 'MigrationFailedError';
        this.migration = migration;
        this.line = line;
    }
}
/** A file run outside a transaction is applied for good, whether or not its history row is written. */
function notRecorded(migration, history, insert, error) {
    const lost = (0,database_session/* connectionLost */.Bx)(error);
    return new MigrationFailedError(migration, undefined, `${migration.script} ran to the end outside a transaction, but recording it in ${history.display} failed: ${describeError(error)} ` +
        (lost
            ? 'The connection was lost, so whether its history row was written is unknown.'
            : 'It is applied but not recorded, so the next run would run it again.'), `see the history with command: info; if the row is missing, record it by hand with ${insert}, or make the file's statements safe to repeat (IF NOT EXISTS) and run the step again`);
}
/** Records the failed attempt and builds the error that names the file, the line and the cause. */
async function failed(connection, migration, type, settings, failure) {
    const cause = failure.error instanceof retry/* RetryExhaustedError */.aB ? failure.error.lastError : failure.error;
    const cancelled = settings.signal?.aborted && ((0,database_session/* sqlState */.cn)(cause) === QUERY_CANCELED || !(0,database_session/* sqlState */.cn)(cause));
    const statement = failure.statement;
    const line = statement ? (failure.line ?? statement.line) : undefined;
    const where = statement
        ? `line ${line} (statement ${failure.statements.indexOf(statement) + 1} of ${failure.statements.length})`
        : 'recording it in the history table';
    const state = (0,database_session/* sqlState */.cn)(cause);
    const lost = (0,database_session/* connectionLost */.Bx)(cause);
    let message = `${migration.script} failed at ${where}: ${describeError(cause)}`;
    let hint = lost ? database_session/* CONNECTION_LOST_HINT */.kH : undefined;
    if (state === LOCK_NOT_AVAILABLE && statement) {
        const blockers = await describeBlockers(connection, statement.node).catch(() => undefined);
        message =
            `${migration.script} could not get a lock at ${where} within lock-timeout (${(0,duration/* formatDuration */.a)(settings.lockTimeoutMs)}) ` +
                `in ${failure.attempts} attempt(s)${blockers ? `: ${blockers}` : ''}.`;
        hint =
            'a long-running transaction holds a lock this migration needs: let it finish or end it, then re-run; raise lock-timeout only if the table may stay blocked for that long';
    }
    const stayApplied = `${failure.leftApplied} statement(s) before it ran outside a transaction and stay applied.`;
    if (failure.rolledBackFrom) {
        message += ` The file's own transaction from line ${failure.rolledBackFrom.line} was rolled back${failure.leftApplied > 0 ? `; the ${stayApplied}` : ', so nothing of it was applied.'}`;
    }
    else if (failure.leftApplied > 0) {
        message += ` The ${stayApplied}`;
    }
    else if (lost && failure.inTransaction && !statement) {
        // The COMMIT was sent with the history row: the row is there exactly when the migration is.
        message +=
            ' The connection was lost before the server confirmed the COMMIT, so whether it was applied is unknown: its row in the history table (command: info) says.';
    }
    else {
        message += ' Nothing of it was applied.';
    }
    // No row for an attempt that never started (cancelled before it), nor on a connection that is gone.
    if (failure.attempts > 0 && !lost) {
        const row = historyRow(migration, type, failure.elapsedMs, false, cancelled ? `cancelled: ${message}` : message);
        await connection
            .query((0,database_history/* ownWriteTransaction */.e5)((0,database_history/* insertHistorySql */.AV)(settings.history, row, settings.runUrl)))
            .catch(async (error) => {
            await connection.query('ROLLBACK').catch(() => undefined);
            log/* warning */.$e(`Could not record the failure in ${settings.history.display}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        });
    }
    if (cancelled && settings.signal)
        return (0,sleep/* abortReason */.Js)(settings.signal);
    return new MigrationFailedError(migration, line, message, hint);
}
function historyRow(migration, type, executionMs, success, error) {
    return {
        version: migration.version?.text ?? null,
        description: migration.description,
        type,
        script: migration.script,
        checksum: migration.checksum,
        executionMs,
        success,
        error: error === null ? null : (0,secrets/* redact */.E$)(error),
    };
}
function describeError(error) {
    const pgError = error;
    const state = (0,database_session/* sqlState */.cn)(error);
    const parts = [`${state ? `ERROR ${state}: ` : ''}${(0,errors/* errorMessage */.gJ)(error)}`];
    if (pgError.detail)
        parts.push(`DETAIL: ${pgError.detail}`);
    if (pgError.hint)
        parts.push(`HINT: ${pgError.hint}`);
    if (pgError.where)
        parts.push(`CONTEXT: ${pgError.where}`);
    return `${parts.join('. ')}.`;
}

;// CONCATENATED MODULE: ./shared/src/postgres/client-config.ts
function pgDriverConfig(settings, applicationName) {
    return {
        host: settings.host,
        port: settings.port,
        user: settings.user,
        password: settings.password ?? '',
        database: settings.database,
        ssl: sslOptions(settings),
        application_name: applicationName,
        ...(settings.options === undefined ? {} : { options: settings.options }),
    };
}
/** sslmode as libpq applies it; `prefer` tries TLS unverified (the caller falls back to plain). */
function sslOptions(settings) {
    const ca = settings.ca;
    switch (settings.sslmode) {
        case 'disable':
            return false;
        case 'prefer':
            return { rejectUnauthorized: false };
        case 'require':
            // As libpq: with a root certificate given, require verifies the chain like verify-ca.
            return ca
                ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
                : { rejectUnauthorized: false };
        case 'verify-ca':
            return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
        case 'verify-full':
            return { ca, rejectUnauthorized: true };
    }
}
/**
 * PGHOST, PGPORT, … for a libpq program. `caFile` is where the caller wrote `settings.ca` (libpq
 * reads the CA from a file only). PGPASSWORD is what `pg_dump` documents for non-interactive use.
 */
function libpqEnvironment(settings, applicationName, caFile) {
    const env = {
        PGHOST: settings.host,
        PGPORT: String(settings.port),
        PGUSER: settings.user,
        PGDATABASE: settings.database,
        PGSSLMODE: settings.sslmode,
        PGAPPNAME: applicationName,
    };
    if (settings.password !== undefined)
        env.PGPASSWORD = settings.password;
    if (settings.options !== undefined)
        env.PGOPTIONS = settings.options;
    if (caFile !== undefined)
        env.PGSSLROOTCERT = caFile;
    return env;
}

// EXTERNAL MODULE: ./shared/src/postgres/connection-settings.ts
var connection_settings = __webpack_require__(6181);
;// CONCATENATED MODULE: ./shared/src/postgres/connect.ts







const ATTEMPT_TIMEOUT_MS = 10_000;
const SSL_REFUSED = 'The server does not support SSL connections';
async function openClient(settings, options) {
    const { default: pg } = await __webpack_require__.e(/* import() */ 849).then(__webpack_require__.bind(__webpack_require__, 3849));
    const target = (0,connection_settings/* describeTarget */.f)(settings);
    const deadline = new async_deadline/* Deadline */.B(options.timeoutMs, `a connection to ${target}`);
    const base = pgDriverConfig(settings, options.applicationName);
    let ssl = base.ssl;
    const open = async () => {
        const client = new pg.Client({
            ...base,
            ssl,
            options: [settings.options, options.sessionOptions].filter(Boolean).join(' ') || undefined,
            connectionTimeoutMillis: Math.max(1000, Math.min(deadline.remaining(), ATTEMPT_TIMEOUT_MS)),
        });
        // An idle connection the server drops emits 'error'; unheard, it would crash the process.
        client.on('error', (error) => log/* debug */.Yz(`connection error: ${error.message}`));
        try {
            await client.connect();
            return client;
        }
        catch (error) {
            await client.end().catch(() => undefined);
            if (settings.sslmode === 'prefer' && ssl !== false && (0,errors/* errorMessage */.gJ)(error).includes(SSL_REFUSED)) {
                ssl = false;
                return open();
            }
            throw error;
        }
    };
    try {
        const client = await (0,retry/* retry */.L5)(open, {
            what: `connecting to ${target}`,
            classify: classifyConnectError,
            deadline,
            signal: options.signal,
            initialDelayMs: 250,
            maxDelayMs: 5000,
            onRetry: ({ attempt, delayMs, reason }) => log/* info */.pq(`Connecting to ${target} failed (attempt ${attempt}: ${reason}); retrying in ${(0,duration/* formatDuration */.a)(delayMs)}.`),
        });
        return { client, ssl, target };
    }
    catch (error) {
        throw connectError(error, settings, target, options.timeoutMs);
    }
}
/** Network errors and a server that is starting, shutting down or full are worth another try. */
const TRANSIENT_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'ENOTFOUND',
    'EPIPE',
    '57P03',
    '53300',
    '08006',
    '08001',
]);
function errorCode(error) {
    const direct = error?.code;
    if (typeof direct === 'string')
        return direct;
    // Node reports a host with several addresses that all failed as an AggregateError.
    const inner = error?.errors?.[0];
    const code = inner?.code;
    return typeof code === 'string' ? code : undefined;
}
function classifyConnectError(error) {
    const code = errorCode(error);
    const message = (0,errors/* errorMessage */.gJ)(error);
    if (code && TRANSIENT_CODES.has(code))
        return { transient: true, reason: describeNetworkError(code, message) };
    if (/Connection terminated|timeout expired|connection timeout/i.test(message)) {
        return { transient: true, reason: message };
    }
    return { transient: false };
}
function describeNetworkError(code, message) {
    const words = {
        ECONNREFUSED: 'connection refused',
        ECONNRESET: 'connection reset',
        ETIMEDOUT: 'timed out',
        EHOSTUNREACH: 'host unreachable',
        ENETUNREACH: 'network unreachable',
        EAI_AGAIN: 'host name lookup failed (temporary)',
        ENOTFOUND: 'host name not found',
        '57P03': 'the database system is starting up',
        '53300': 'too many connections',
    };
    return words[code] ?? (message || code);
}
function connectError(error, settings, target, timeoutMs) {
    if (error instanceof retry/* RetryExhaustedError */.aB) {
        const reason = classifyConnectError(error.lastError);
        const why = reason.transient ? reason.reason : (0,errors/* errorMessage */.gJ)(error.lastError);
        return new errors/* ActionError */.lZ(`Could not connect to ${target} within ${(0,duration/* formatDuration */.a)(timeoutMs)} (connect-timeout, ${error.attempts} attempts): ${why}.`, {
            cause: error,
            hint: 'check host and port, and that this runner can reach the database (firewall or security group, a service container, a VPN or bastion)',
        });
    }
    if (error instanceof errors/* ActionError */.lZ)
        return error;
    const code = errorCode(error);
    const state = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
    const message = (0,errors/* errorMessage */.gJ)(error);
    if (state === '28P01' || state === '28000') {
        return new errors/* ActionError */.lZ(`Authentication failed for ${target}: ${message}.`, {
            cause: error,
            hint: state === '28000'
                ? 'the server refused this user, host or database (pg_hba.conf); an sslmode the server requires may also be missing'
                : 'check the password (or database-url) secret, and that the user exists',
        });
    }
    if (state === '3D000') {
        return new errors/* ActionError */.lZ(`The database "${settings.database}" does not exist on ${target.split('@')[1]?.split('/')[0]}.`, {
            cause: error,
            hint: 'check the database input (or the path of database-url); Gantry works on an existing database and does not create it',
        });
    }
    if (/certificate|self.signed|SSL|TLS/i.test(message)) {
        return new errors/* ActionError */.lZ(`TLS with ${target} failed (sslmode ${settings.sslmode}): ${message}.`, {
            cause: error,
            hint: settings.sslmode === 'verify-full' || settings.sslmode === 'verify-ca'
                ? "give the server's CA certificate in ca-certificate (RDS and Cloud SQL publish theirs)"
                : 'the server may not offer TLS: use sslmode prefer or disable for it',
        });
    }
    return new errors/* ActionError */.lZ(`Could not connect to ${target}: ${message}.`, { cause: error });
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/database.ts






const APPLICATION_NAME = 'gantry-migrate';
async function connect(settings, options) {
    const { client, ssl, target } = await openClient(settings, {
        applicationName: APPLICATION_NAME,
        timeoutMs: options.timeoutMs,
        sessionOptions: options.readOnly ? '-c default_transaction_read_only=on' : undefined,
        signal: options.signal,
    });
    client.on('notice', (notice) => log/* info */.pq(`${notice.severity ?? 'NOTICE'}: ${notice.message}`));
    let info;
    try {
        const result = await (0,database_session/* ownQuery */.r9)(`Reading the server version of ${target}`, () => client.query("SELECT pg_backend_pid() AS pid, current_setting('server_version_num')::int AS version"));
        info = result.rows[0];
        // A cancellation that came while connecting: nothing may run on the new session.
        (0,sleep/* throwIfAborted */.Te)(options.signal);
    }
    catch (error) {
        await client.end().catch(() => undefined);
        throw error;
    }
    const { default: pg } = await __webpack_require__.e(/* import() */ 849).then(__webpack_require__.bind(__webpack_require__, 3849));
    return new PgConnection(client, pg.Query, info.version, target, async () => {
        const canceller = new pg.Client({
            ...pgDriverConfig(settings, APPLICATION_NAME),
            ssl,
            connectionTimeoutMillis: 5000,
        });
        canceller.on('error', () => undefined);
        try {
            await canceller.connect();
            await canceller.query('SELECT pg_cancel_backend($1)', [info.pid]);
        }
        finally {
            await canceller.end().catch(() => undefined);
        }
    });
}
class PgConnection {
    serverVersion;
    target;
    client;
    Query;
    cancelBackend;
    constructor(client, query, serverVersion, target, cancel) {
        this.client = client;
        this.Query = query;
        this.serverVersion = serverVersion;
        this.target = target;
        this.cancelBackend = cancel;
    }
    async query(sql, values) {
        const result = (await this.client.query(sql, values));
        // Several statements in one simple query answer with one result each: the last is the answer.
        const last = Array.isArray(result) ? result.at(-1) : result;
        return (last?.rows ?? []);
    }
    script(sql) {
        return new Promise((resolve) => {
            const rows = [];
            const query = new this.Query(sql, (error) => {
                resolve(error ? { ok: false, error, completed: rows.length, rows } : { ok: true, rows });
            });
            // Each CommandComplete ends a statement: its rows are kept, and their count says which statement
            // an error without a position came from.
            const hook = query;
            const complete = hook.handleCommandComplete.bind(query);
            hook.handleCommandComplete = (message, connection) => {
                complete(message, connection);
                rows.push(hook._result.rows);
            };
            this.client.query(query);
        });
    }
    async copyFrom(sql, rows) {
        const { from } = await __webpack_require__.e(/* import() */ 901).then(__webpack_require__.t.bind(__webpack_require__, 6901, 19));
        const stream = this.client.query(from(sql));
        await new Promise((resolve, reject) => {
            stream.on('finish', resolve);
            stream.on('error', reject);
            stream.end(rows);
        });
    }
    cancel() {
        return this.cancelBackend();
    }
    async end() {
        await this.client.end().catch(() => undefined);
    }
}
/** Runs `work`, cancelling the statement running on `connection` if `signal` aborts meanwhile. */
async function cancelOnAbort(connection, signal, work) {
    const onAbort = () => {
        connection
            .cancel()
            .catch((error) => log/* warning */.$e(`Could not cancel the running statement: ${(0,errors/* errorMessage */.gJ)(error)}`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        return await work();
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/invalid-index.ts


/**
 * CREATE INDEX CONCURRENTLY that fails (a lock timeout, a duplicate key for a unique index, a
 * cancel) leaves an INVALID index behind: a retry then fails with "already exists", and with IF NOT
 * EXISTS it silently keeps the broken index. Before each attempt, and after a failure, an invalid
 * index of the statement's name on its table is dropped (concurrently, so nothing is blocked).
 */
async function dropInvalidIndex(session, node) {
    if (!('IndexStmt' in node))
        return;
    const { concurrent, idxname, relation } = node.IndexStmt;
    if (!concurrent || !idxname || !relation?.relname)
        return;
    const table = `${relation.schemaname ? `${(0,sql_quote/* quoteIdentifier */.C)(relation.schemaname)}.` : ''}${(0,sql_quote/* quoteIdentifier */.C)(relation.relname)}`;
    const [invalid] = await session.query(`SELECT i.indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE NOT i.indisvalid AND c.relname = $1 AND i.indrelid = to_regclass($2)`, [idxname, table]);
    if (!invalid)
        return;
    log/* info */.pq(`Dropping the invalid index ${invalid.name} that a failed CREATE INDEX CONCURRENTLY left behind.`);
    await session.query(`DROP INDEX CONCURRENTLY IF EXISTS ${invalid.name}`);
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/sql/retry-units.ts
/**
 * What is run, and retried, as one outside a transaction: a statement on its own, or a transaction
 * of the file's own, from its BEGIN to its COMMIT or ROLLBACK. A lock timeout inside such a
 * transaction aborts all of it, so retrying the one statement would only meet "current transaction
 * is aborted".
 */
function retryUnits(statements) {
    const units = [];
    let block;
    for (const statement of statements) {
        if (block) {
            block.push(statement);
            if (closesBlock(statement))
                block = undefined;
        }
        else if (opensBlock(statement)) {
            block = [statement];
            units.push(block);
        }
        else {
            units.push([statement]);
        }
    }
    return units;
}
function opensBlock({ node }) {
    const kind = 'TransactionStmt' in node ? node.TransactionStmt.kind : undefined;
    return kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START';
}
/** COMMIT (END), ROLLBACK (ABORT) or PREPARE TRANSACTION; not COMMIT AND CHAIN, which starts the next. */
function closesBlock({ node }) {
    if (!('TransactionStmt' in node) || node.TransactionStmt.chain)
        return false;
    const kind = node.TransactionStmt.kind;
    return kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK' || kind === 'TRANS_STMT_PREPARE';
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/statement-batches.ts
/**
 * A batch's text grows to about this size: past it a new round trip starts, so a file of a
 * hundred thousand INSERTs is not parsed by the server all at once.
 */
const MAX_BATCH_CHARS = 256 * 1024;
/** The newline before the semicolon ends a `--` comment that a statement's text may finish with. */
const SEPARATOR = '\n;\n';
function batchStatements(statements, options) {
    const batches = [];
    let current;
    const add = (sql, statement) => {
        const split = current !== undefined &&
            ((options.oneByOne && statement !== undefined && current.members.some((member) => member.statement)) ||
                current.text.length + sql.length > MAX_BATCH_CHARS);
        if (!current || split) {
            current = { kind: 'sql', text: '', members: [] };
            batches.push(current);
        }
        if (current.members.length > 0)
            current.text += SEPARATOR;
        current.members.push({ statement, start: current.text.length });
        current.text += sql;
    };
    for (const sql of options.before)
        add(sql, undefined);
    for (const statement of statements) {
        if (statement.copyData) {
            batches.push({ kind: 'copy', statement: statement });
            current = undefined;
        }
        else {
            add(statement.sql, statement);
        }
    }
    for (const sql of options.after)
        add(sql, undefined);
    return batches;
}
/**
 * The statement of `batch` an error came from, and the file's line: `completed` is how many of the
 * batch's statements had completed. Undefined statement: one of Gantry's own.
 */
function failedStatement(batch, error, completed) {
    if (batch.kind === 'copy')
        return { statement: batch.statement, line: copyErrorLine(batch.statement, error) };
    return statementAt(batch, positionIndex(batch.text, error), completed);
}
/**
 * The statement of `batch` at `index` in its text (where the server's error position points), or,
 * without one, the one after the `completed` statements.
 */
function statementAt(batch, index, completed) {
    if (index !== undefined) {
        const member = batch.members.findLast((each) => each.start <= index);
        if (member?.statement) {
            const before = batch.text.slice(member.start, index);
            return { statement: member.statement, line: member.statement.line + countNewlines(before) };
        }
        if (member)
            return { statement: undefined, line: undefined };
    }
    const statement = batch.members[completed]?.statement;
    return { statement, line: statement?.line };
}
/** The JavaScript index in `text` of the server's error position (1-based, counted in characters). */
function positionIndex(text, error) {
    const position = Number(error?.position);
    if (!Number.isInteger(position) || position < 1)
        return undefined;
    let index = 0;
    for (let seen = 1; seen < position && index < text.length; seen++) {
        const code = text.charCodeAt(index);
        index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    }
    return index;
}
/** A bad row: the server's context says `COPY t, line 3, column b: "x"`, counted from the first row. */
function copyErrorLine(statement, error) {
    const where = error?.where ?? '';
    const match = /\bCOPY [^,]*, line (\d+)/.exec(where);
    return match ? statement.copyData.line + Number(match[1]) - 1 : statement.line;
}
function countNewlines(text) {
    let count = 0;
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
        count++;
    return count;
}
/** A statement sent on its own, as a batch of one. */
function singleStatement(statement) {
    return statement.copyData
        ? { kind: 'copy', statement: statement }
        : { kind: 'sql', text: statement.sql, members: [{ statement, start: 0 }] };
}
/** Several batches as one: their texts one after the other, so they travel in one round trip. */
function joinBatches(batches) {
    const joined = { kind: 'sql', text: '', members: [] };
    const parts = [];
    for (const batch of batches) {
        if (joined.members.length > 0)
            joined.text += SEPARATOR;
        const start = joined.text.length;
        parts.push({
            start,
            end: start + batch.text.length,
            firstMember: joined.members.length,
            members: batch.members.length,
        });
        for (const member of batch.members)
            joined.members.push({ statement: member.statement, start: start + member.start });
        joined.text += batch.text;
    }
    return { batch: joined, parts };
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/run-batches.ts


/**
 * Runs the batches of one transaction in turn, each statement's rows in order. On an error the
 * transaction is rolled back and `onFailure` learns where it happened.
 */
async function runBatches(connection, batches, onFailure) {
    const rows = [];
    for (const batch of batches) {
        let error;
        let completed = 0;
        if (batch.kind === 'copy') {
            try {
                await connection.copyFrom(batch.statement.sql, batch.statement.copyData.bytes);
                rows.push([]);
                continue;
            }
            catch (copyError) {
                error = copyError;
            }
        }
        else {
            const result = await connection.script(batch.text);
            if (result.ok) {
                rows.push(...result.rows);
                continue;
            }
            ({ error, completed } = result);
        }
        // A connection that broke without a word from the server may have got as far as the COMMIT.
        const unknown = batch === batches.at(-1) && (0,database_session/* sqlState */.cn)(error) === undefined && (0,database_session/* connectionLost */.Bx)(error);
        onFailure(unknown ? { statement: undefined, line: undefined } : failedStatement(batch, error, completed));
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
    }
    return rows;
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/apply.ts














const DEFAULT_RETRY_DELAY = { initialMs: 1000, maxMs: 30_000 };
/**
 * `made`: the first attempt, made already with other migrations in one round trip (apply-group.ts);
 * it counts as attempt 1, and the attempts after it, if any, are made here as usual.
 */
async function applyMigration(connection, migration, script, type, settings, made) {
    return cancelOnAbort(connection, settings.signal, () => script.outsideTransaction
        ? runOutsideTransaction(connection, migration, script, type, settings)
        : runInTransaction(connection, migration, script, type, settings, made));
}
/**
 * A migration run in a transaction, as round trips: BEGIN, its statements, the history row, COMMIT,
 * and the next migration's session defaults in a transaction of their own, together where they can
 * be. The reset has its own transaction so that a BEGIN after it in the same text cannot take it into
 * its transaction: that transaction would start with the settings the file left (such as
 * default_transaction_read_only), and its rollback would undo the reset. READ COMMITTED, since the
 * file may have left serializable, read-only and deferrable as the default, which would make the
 * mark's SELECT wait for a safe snapshot.
 */
function transactionBatches(connection, migration, script, type, settings, shared) {
    const commitWait = shared ? [shared.beforeAnother ? ASYNC_COMMIT : SESSION_COMMIT] : [];
    return batchStatements(script.statements, {
        before: ['BEGIN'],
        after: [
            (0,database_history/* insertHistorySql */.AV)(settings.history, historyRow(migration, type, 0, true, null), settings.runUrl, {
                measuredByServer: true,
                fromMark: shared?.afterAnother === true,
            }),
            ...commitWait,
            'COMMIT',
            'BEGIN ISOLATION LEVEL READ COMMITTED',
            // One statement per member: a member's index is then its statement's among those the server ran.
            ...sessionDefaultStatements(settings),
            ...(shared?.beforeAnother ? [database_history/* MARK_NEXT_MIGRATION_START */.eo] : []),
            'COMMIT',
        ],
        oneByOne: settings.statementTimeoutMs > 0 && connection.serverVersion < STATEMENT_TIMEOUT_PER_STATEMENT,
    });
}
/**
 * Whether the file may clear the mark the migration before it sets (RESET ALL, or the mark's own
 * setting): it then goes first in a round trip, where now() is its start.
 */
function clearsStartMark(script) {
    return script.statements.some(({ node }) => {
        if (!('VariableSetStmt' in node))
            return false;
        const { kind, name } = node.VariableSetStmt;
        return kind === 'VAR_RESET_ALL' || name?.toLowerCase() === database_history/* START_MARK_SETTING */.iV;
    });
}
/** The index of the history row's INSERT among a migration's results: after BEGIN and its statements. */
function historyRowIndex(script) {
    return script.statements.length + 1;
}
async function runInTransaction(connection, migration, script, type, settings, made) {
    let attempts = 0;
    let failure;
    let started = 0;
    const batches = transactionBatches(connection, migration, script, type, settings);
    const attempt = async (number) => {
        attempts = number;
        failure = undefined;
        started = performance.now();
        let results;
        if (number === 1 && made) {
            if (!made.ok) {
                failure = made.at;
                started -= made.elapsedMs;
                throw made.error;
            }
            results = made.rows;
        }
        else {
            results = await runBatches(connection, batches, (at) => (failure = at));
        }
        const [inserted] = results[historyRowIndex(script)] ?? [];
        return Number(inserted?.execution_ms ?? performance.now() - started);
    };
    try {
        // An attempt made already that succeeded, or failed for good, is the outcome as it is: a
        // cancellation since then changes nothing about it.
        const final = made && (made.ok || !classifyStatementError(made.error).transient);
        if (made && !made.ok) {
            // A cancellation before the retry loop replays it still finds the attempt that was made.
            attempts = 1;
            failure = made.at;
            started = performance.now() - made.elapsedMs;
        }
        const executionMs = final
            ? await attempt(1)
            : await (0,retry/* retry */.L5)(attempt, retryOptions(migration, settings, () => failure?.statement));
        return { migration, type, executionMs, attempts, inTransaction: true };
    }
    catch (error) {
        throw await failed(connection, migration, type, settings, {
            error,
            attempts,
            statement: failure?.statement,
            line: failure?.line,
            statements: script.statements,
            elapsedMs: performance.now() - started,
            leftApplied: 0,
            inTransaction: true,
        });
    }
}
async function runOutsideTransaction(connection, migration, script, type, settings) {
    const started = performance.now();
    let attempts = 0;
    let done = 0;
    for (const unit of retryUnits(script.statements)) {
        const block = opensBlock(unit[0]);
        let current = unit[0];
        try {
            await (0,retry/* retry */.L5)(async (attempt) => {
                attempts = Math.max(attempts, attempt);
                try {
                    for (const statement of unit) {
                        current = statement;
                        await dropInvalidIndex(connection, statement.node);
                        if (statement.copyData)
                            await connection.copyFrom(statement.sql, statement.copyData.bytes);
                        else
                            await connection.query(statement.sql);
                    }
                }
                catch (error) {
                    // The file's own transaction is aborted, with everything since its BEGIN: end it, so that
                    // a retry can start it again.
                    if (block)
                        await connection.query('ROLLBACK').catch(() => undefined);
                    throw error;
                }
            }, retryOptions(migration, settings, () => current));
        }
        catch (error) {
            await dropInvalidIndex(connection, current.node).catch((cleanup) => log/* warning */.$e(`Could not drop the invalid index left by the failed statement: ${(0,errors/* errorMessage */.gJ)(cleanup)}`));
            const at = failedStatement(singleStatement(current), error, 0);
            throw await failed(connection, migration, type, settings, {
                error,
                attempts,
                statement: current,
                line: at.line,
                statements: script.statements,
                elapsedMs: performance.now() - started,
                leftApplied: done,
                rolledBackFrom: block ? unit[0] : undefined,
                inTransaction: false,
            });
        }
        done += unit.length;
    }
    const executionMs = performance.now() - started;
    const insert = (0,database_history/* insertHistorySql */.AV)(settings.history, historyRow(migration, type, executionMs, true, null), settings.runUrl);
    try {
        await connection.query(`${(0,database_history/* ownWriteTransaction */.e5)(insert)}; ${sessionDefaults(settings)}`);
    }
    catch (error) {
        // The history row's transaction is left aborted: what comes next (the summary's read) needs it gone.
        await connection.query(`ROLLBACK; ${sessionDefaults(settings)}`).catch(() => undefined);
        throw notRecorded(migration, settings.history, insert, error);
    }
    // A file without statements ran once all the same.
    return { migration, type, executionMs, attempts: Math.max(attempts, 1), inTransaction: false };
}
/**
 * The session state every migration starts from: the connection's defaults, with lock_timeout and
 * statement_timeout. Run once before the first migration and after each one that succeeded, in the
 * same round trip as its COMMIT; a rolled-back attempt needs nothing, since SET is transactional.
 */
function sessionDefaults(settings) {
    return sessionDefaultStatements(settings).join('; ');
}
function sessionDefaultStatements(settings) {
    return [
        'RESET ALL',
        'RESET ROLE',
        `SET lock_timeout = ${(0,sql_quote/* quoteLiteral */.c)(`${settings.lockTimeoutMs}ms`)}`,
        `SET statement_timeout = ${(0,sql_quote/* quoteLiteral */.c)(`${settings.statementTimeoutMs}ms`)}`,
    ];
}
/** For this transaction only, and read when it commits: after the history row, before COMMIT. */
const ASYNC_COMMIT = 'SET LOCAL synchronous_commit TO off';
const SESSION_COMMIT = 'SET LOCAL synchronous_commit TO DEFAULT';
/** From PostgreSQL 13, statement_timeout applies to each statement of a simple query, not to all of it. */
const STATEMENT_TIMEOUT_PER_STATEMENT = 130000;
const DEADLOCK_DETECTED = '40P01';
function retryOptions(migration, settings, statement) {
    const delay = settings.retryDelay ?? DEFAULT_RETRY_DELAY;
    return {
        what: migration.script,
        attempts: settings.lockRetries + 1,
        initialDelayMs: delay.initialMs,
        maxDelayMs: delay.maxMs,
        signal: settings.signal,
        classify: classifyStatementError,
        onRetry: ({ attempt, delayMs, reason }) => {
            const line = statement()?.line;
            log/* warning */.$e(`${migration.script}${line ? ` line ${line}` : ''}: ${reason} (attempt ${attempt} of ${settings.lockRetries + 1}); ` +
                `rolled back, retrying in ${(0,duration/* formatDuration */.a)(delayMs)}.`, { file: migration.annotationPath, ...(line ? { startLine: line } : {}) });
        },
    };
}
function classifyStatementError(error) {
    const state = (0,database_session/* sqlState */.cn)(error);
    if (state === LOCK_NOT_AVAILABLE)
        return { transient: true, reason: 'lock-timeout expired waiting for a lock' };
    if (state === DEADLOCK_DETECTED)
        return { transient: true, reason: 'deadlock with another session' };
    return { transient: false };
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/database/apply-group.ts





async function runGroup(connection, members, signal) {
    const { batch, parts } = joinBatches(members.map((member) => member.batch));
    const started = performance.now();
    const result = await cancelOnAbort(connection, signal, () => connection.script(batch.text));
    if (result.ok)
        return parts.map((part) => ({ ok: true, rows: membersOf(result.rows, part) }));
    const elapsedMs = performance.now() - started;
    const { error, completed, rows } = result;
    // A connection that broke without a word from the server may have got further than it told.
    const unknown = (0,database_session/* sqlState */.cn)(error) === undefined && (0,database_session/* connectionLost */.Bx)(error);
    if (completed === 0 && !(0,database_session/* connectionLost */.Bx)(error))
        return parts.map(() => undefined);
    await connection.query('ROLLBACK').catch(() => undefined);
    // The migration whose statement was running: the first with one that did not complete.
    const failing = Math.max(parts.findIndex((part) => completed < part.firstMember + part.members), 0);
    const part = parts[failing];
    const index = positionIndex(batch.text, error);
    const elsewhere = index !== undefined && (index < part.start || index > part.end);
    if (failing > 0) {
        const flushed = await flushCommits(connection, signal);
        // Lost now: whether the commits before reached the disk is unknown, as for the first of them.
        if (flushed !== true && (0,database_session/* connectionLost */.Bx)(flushed)) {
            return [{ ok: false, error: flushed, at: NOWHERE, elapsedMs }];
        }
    }
    const made = [];
    let before = 0;
    for (const [number, each] of parts.slice(0, failing).entries()) {
        const memberRows = membersOf(rows, each);
        made.push({ ok: true, rows: memberRows });
        const [inserted] = memberRows[members[number].historyRow] ?? [];
        before += Number(inserted?.execution_ms ?? 0);
    }
    const at = unknown ? NOWHERE : statementAt(batch, elsewhere ? undefined : index, completed);
    made.push({ ok: false, error, at, elapsedMs: Math.max(elapsedMs - before, 0) });
    return made;
}
function membersOf(rows, part) {
    return rows.slice(part.firstMember, part.firstMember + part.members);
}
/** No statement of the file: one of Gantry's own, or, on a connection lost, maybe the COMMIT. */
const NOWHERE = { statement: undefined, line: undefined };
/**
 * Waits until the server has flushed the write-ahead log past the asynchronous commits, before they
 * count as applied. A transaction of Gantry's own that writes nothing would commit without a flush,
 * and one that writes needs a privilege or leaves a trace; the WAL writer flushes asynchronous
 * commits within three times wal_writer_delay (600 ms by default), so the flush position is read
 * until it reaches the end of the commits: the insert position, less the page header it may sit
 * just after (the flush stops at the page's start, and the next record may be long in coming). The
 * error, if that fails, is cancelled, or the deadline passes: a lost connection makes the commits'
 * fate unknown; with any other, they stay as the server acknowledged them, and the failed
 * migration's row, committed synchronously next, flushes them.
 */
async function flushCommits(connection, signal) {
    const deadline = new async_deadline/* Deadline */.B(FLUSH_DEADLINE_MS, 'the server to flush the migrations committed before the one that failed');
    try {
        const [end] = await connection.query(END_OF_COMMITS);
        for (let delayMs = 2;; delayMs = Math.min(delayMs * 2, 50)) {
            const [flush] = await connection.query('SELECT pg_catalog.pg_wal_lsn_diff($1::pg_lsn, pg_catalog.pg_current_wal_flush_lsn()) <= $2 AS flushed', [end?.lsn, end?.header]);
            if (flush?.flushed)
                return true;
            if (deadline.expired())
                throw deadline.error();
            await (0,sleep/* sleep */.yy)(Math.min(delayMs, deadline.remaining()), signal);
        }
    }
    catch (error) {
        return error;
    }
}
/**
 * The insert position, and the size of the page header it sits just after, if it does: a segment's
 * first page has a long one (40 bytes), every other page a short one (24).
 */
const END_OF_COMMITS = `SELECT inserted.lsn::text AS lsn,
  CASE WHEN page.file_offset = 40 THEN 40
       WHEN page.file_offset >= page.block AND page.file_offset % page.block = 24 THEN 24
       ELSE 0 END AS header
FROM pg_catalog.pg_current_wal_insert_lsn() AS inserted(lsn),
  LATERAL (SELECT (pg_catalog.pg_walfile_name_offset(inserted.lsn)).file_offset,
                  pg_catalog.current_setting('wal_block_size')::int AS block) AS page`;
/** Three times the longest wal_writer_delay (10 s), and then some. */
const FLUSH_DEADLINE_MS = 45_000;

;// CONCATENATED MODULE: ./actions/migrate/src/native/commands/apply-all.ts




/**
 * Up to 64 a round trip: applying 1,000 small migrations with fsync on took 0.97-1.01x psql's time
 * with at most 16, 0.84-0.89x with 64 (bench/migrate-apply.bench.ts), each round trip's last COMMIT
 * being one wait for the disk.
 */
const GROUPING = { maxGroup: 64, quickMs: 25 };
/** The text of a round trip of several migrations stays under this size. */
const MAX_GROUP_CHARS = 64 * 1024;
async function applyAll(connection, settings, prepared, outcome, grouping = GROUPING) {
    if (prepared.length > 0) {
        await (0,database_session/* ownQuery */.r9)('Setting lock_timeout and statement_timeout for the migrations', () => connection.query(sessionDefaults(settings)));
    }
    let size = 1;
    // Migrations whose line is logged already: they were sent once with others and did not run.
    let announced = 0;
    for (let next = 0; next < prepared.length;) {
        const started = performance.now();
        const group = collectGroup(connection, settings, prepared, next, size);
        const count = Math.max(group.length, 1);
        announce(prepared, Math.max(announced, next), next + count);
        announced = Math.max(announced, next + count);
        const made = group.length > 1 && !settings.signal?.aborted ? await runGroup(connection, group, settings.signal) : [];
        for (let offset = 0; offset < count; offset++) {
            const attempt = made[offset];
            // Sent with the one before it, which failed: it did not run, and goes in a later round trip.
            if (offset > 0 && attempt === undefined)
                break;
            const { migration, type, script } = prepared[next];
            try {
                outcome.applied.push(await applyMigration(connection, migration, script, type, settings, attempt));
            }
            catch (error) {
                if (!(error instanceof MigrationFailedError))
                    throw error;
                const lost = attempt?.ok === false && (0,database_session/* sqlState */.cn)(attempt.error) === undefined && (0,database_session/* connectionLost */.Bx)(attempt.error);
                outcome.problems.push(failureProblem(error, sentAfter(prepared, next + 1, next - offset + count), lost));
                return;
            }
            next++;
        }
        const all = made.length > 0 && made.every((attempt) => attempt?.ok);
        const quick = performance.now() - started < grouping.quickMs * count;
        size = quick && (count === 1 || all) ? Math.min(size * 2, grouping.maxGroup) : 1;
    }
}
/**
 * The next migrations to send together, from `next`: up to `size`, as long as each is one round
 * trip in a transaction. An empty group: the migration at `next` goes alone.
 */
function collectGroup(connection, settings, prepared, next, size) {
    const group = [];
    let chars = 0;
    for (const { migration, type, script } of prepared.slice(next, next + (size > 1 ? size : 0))) {
        if (script.outsideTransaction || (group.length > 0 && clearsStartMark(script)))
            break;
        const shared = { afterAnother: group.length > 0, beforeAnother: true };
        const [batch, ...more] = transactionBatches(connection, migration, script, type, settings, shared);
        if (batch?.kind !== 'sql' || more.length > 0 || chars + batch.text.length > MAX_GROUP_CHARS)
            break;
        chars += batch.text.length;
        group.push({ batch, historyRow: historyRowIndex(script) });
    }
    if (group.length < 2)
        return [];
    // The last one's COMMIT waits for the disk, and sets no mark (see apply-group.ts).
    const { migration, type, script } = prepared[next + group.length - 1];
    const shared = { afterAnother: true, beforeAnother: false };
    const [last] = transactionBatches(connection, migration, script, type, settings, shared);
    return [...group.slice(0, -1), { batch: last, historyRow: historyRowIndex(script) }];
}
/**
 * The lines of the migrations from `from` up to `to` (excluded), in one write: one line each (how
 * long each took is in the summary), so a run of a thousand migrations stays readable.
 */
function announce(prepared, from, to) {
    const lines = prepared
        .slice(from, to)
        .map(({ migration, type, script }, offset) => `[${from + offset + 1}/${prepared.length}] ${label(migration, type)}${script.outsideTransaction ? ', outside a transaction' : ''}`);
    if (lines.length > 0)
        log/* info */.pq(lines.join('\n'));
}
function label(migration, type) {
    const what = type === 'repeatable'
        ? 'repeatable migration'
        : `${type === 'undo' ? 'undo of version' : 'version'} ${migration.version?.text}`;
    return `Applying ${what} "${migration.description}" (${migration.script})`;
}
/** The migrations from `from` up to `to` (excluded): sent in the same round trip after the one that failed. */
function sentAfter(prepared, from, to) {
    return prepared.slice(from, to).map(({ migration }) => migration.script);
}
/**
 * `lost`: the connection broke without a word from the server, which may have run the migrations
 * sent after the failed one before it did.
 */
function failureProblem(error, after, lost) {
    const others = after.join(', ');
    const note = after.length === 0
        ? ''
        : lost
            ? ` ${others}, sent in the same round trip after it, may have been applied too: their rows in the history table (command: info) say.`
            : ` ${others}, sent in the same round trip after it, did not run.`;
    return {
        phase: 'run',
        title: `Migration failed: ${error.migration.script}`,
        message: `${error.message}${note}${error.hint ? ` Hint: ${error.hint}` : ''}`,
        file: error.migration.annotationPath,
        ...(error.line ? { line: error.line } : {}),
    };
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/commands/write-commands.ts








/**
 * The commands that write: migrate, undo and baseline. Each holds the migration lock, reads the
 * history only once it has it, and checks everything it can (drift, order, syntax, lint) before it
 * changes anything.
 */
function applySettings(context) {
    const { inputs } = context;
    return {
        history: inputs.history,
        lockTimeoutMs: inputs.lockTimeoutMs,
        statementTimeoutMs: inputs.statementTimeoutMs,
        lockRetries: inputs.lockRetries,
        runUrl: context.runUrl,
        signal: context.signal,
    };
}
const migrate = (context) => withLock(context, async () => {
    const { before, outcome, preparation } = await checkPending(context);
    if (outcome.problems.length > 0 || preparation.blocking.length > 0)
        return outcome;
    // The checks parse every pending file, which takes a while: a cancellation meanwhile changes nothing.
    (0,sleep/* throwIfAborted */.Te)(context.signal);
    if (preparation.prepared.length === 0) {
        log/* info */.pq(`${context.connection.target} is up to date at version ${before.state.currentVersion?.text ?? 'none'}.`);
    }
    if (!before.historyExisted) {
        await (0,database_history/* createHistoryTable */.jt)(context.connection, context.inputs.history);
        outcome.historyCreated = true;
        log/* info */.pq(`Created the history table ${context.inputs.history.display}.`);
    }
    for (const failed of before.state.failed) {
        log/* info */.pq(`${failed.script} failed in an earlier run (${failed.appliedAt}); trying it again.`);
    }
    await applyAll(context.connection, applySettings(context), preparation.prepared, outcome);
    return settle(context, outcome);
});
const undo = (context) => withLock(context, async () => {
    const before = await snapshot(context);
    const outcome = baseOutcome(context, before);
    const target = before.state.applied.at(-1);
    if (!target) {
        const baseline = before.state.baseline;
        outcome.problems.push({
            phase: 'check',
            title: 'Nothing to undo',
            message: baseline
                ? `Nothing to undo: no migration was applied above the baseline at version ${baseline.text}, and a baseline cannot be undone.`
                : 'Nothing to undo: no versioned migration is applied.',
        });
        return outcome;
    }
    const undoFile = context.migrations.undo.get(target.version.key);
    if (!undoFile) {
        outcome.problems.push({
            phase: 'check',
            title: 'No undo migration',
            message: `The latest applied version is ${target.version.text} (${target.row.script}), and migrations-dir has no undo file for it: ` +
                `add U${target.version.text.replaceAll('.', '_')}__<description>.sql with the SQL that reverses it.`,
        });
        return outcome;
    }
    const preparation = await prepareMigrations([{ migration: undoFile, type: 'undo' }], await context.parser(), context.connection.serverVersion, { allowDestructive: context.inputs.allowDestructive, database: context.connection });
    outcome.findings = preparation.findings;
    if (preparation.blocking.length > 0)
        return outcome;
    await applyAll(context.connection, applySettings(context), preparation.prepared, outcome);
    return settle(context, outcome);
});
const baseline = (context) => withLock(context, async () => {
    const before = await snapshot(context);
    const outcome = baseOutcome(context, before);
    const { version, description } = context.inputs.baseline;
    const existing = before.state.applied.at(-1)?.version ?? before.state.baseline;
    if (existing) {
        outcome.problems.push({
            phase: 'check',
            title: 'Baseline refused',
            message: `${context.inputs.history.display} already records version ${existing.text}: a baseline only marks a database that has no migration history yet.`,
        });
        return outcome;
    }
    if (!before.historyExisted) {
        await (0,database_history/* createHistoryTable */.jt)(context.connection, context.inputs.history);
        outcome.historyCreated = true;
    }
    const row = {
        version: version.text,
        description,
        type: 'baseline',
        script: `<< baseline ${version.text} >>`,
        checksum: null,
        executionMs: 0,
        success: true,
        error: null,
    };
    await (0,database_session/* ownQuery */.r9)(`Recording the baseline in ${context.inputs.history.display}`, () => context.connection.query((0,database_history/* insertHistorySql */.AV)(context.inputs.history, row, context.runUrl)), (0,database_history/* historyPrivilegeHints */.Ab)(context.inputs.history));
    const skipped = context.migrations.versioned.filter((file) => (0,files_version/* compareVersions */.Z)(file.version, version) <= 0).length;
    const note = `Marked at version ${version.text}: ${skipped} migration file(s) at or below it will never run on this database.`;
    log/* info */.pq(`${context.connection.target}: ${note}`);
    return { ...(await settle(context, outcome)), note };
});

// EXTERNAL MODULE: ./actions/migrate/src/inputs.ts
var src_inputs = __webpack_require__(704);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
;// CONCATENATED MODULE: ./actions/migrate/src/native/files/checksum.ts


/**
 * The checksum recorded for a migration: SHA-256 (hex) of its text with a leading byte-order mark
 * dropped and every line ending made `\n`, so a checkout with CRLF line endings (core.autocrlf on
 * Windows, an editor's setting) is the same migration and never reported as drift.
 */
function migrationChecksum(text) {
    return (0,external_node_crypto_.hash)('sha256', normaliseText(text), 'hex');
}
function normaliseText(text) {
    const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    // Most files have no CR at all: looking for one is far cheaper than a replace that finds none.
    return unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked;
}
const CARRIAGE_RETURN = 0x0d;
/**
 * migrationChecksum of the file whose bytes these are, without decoding them, when the bytes are
 * already what normaliseText would hash: valid UTF-8 (decoding then encoding gives the same bytes
 * back; invalid sequences would decode to U+FFFD), no byte-order mark at the start and no CR.
 * Undefined otherwise: the text must then be decoded and normalised first.
 */
function rawChecksum(bytes) {
    const marked = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    if (marked || bytes.includes(CARRIAGE_RETURN) || !(0,external_node_buffer_.isUtf8)(bytes))
        return undefined;
    return (0,external_node_crypto_.hash)('sha256', bytes, 'hex');
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/files/file-bytes.ts

/** Large enough that thousands of small migrations share a few chunks; allocated once each. */
const CHUNK_SIZE = 256 * 1024;
/**
 * Reads whole files one after the other into shared chunks: open, read, close, three system calls a
 * file where readFileSync makes four (a stat or a second read), and no buffer allocated per file.
 * For thousands of small migrations the system calls are most of the time it takes to load them.
 * The bytes stay where they were read, so a file that is never executed (one already applied) is
 * checksummed from them and never decoded into a string. Synchronous: fs/promises opens, reads and
 * closes each file in separate trips through the thread pool.
 */
class FileArena {
    chunk = Buffer.allocUnsafe(CHUNK_SIZE);
    used = 0;
    read(file) {
        // The flag as a number: 'r' is parsed again on every call otherwise.
        const fd = (0,external_node_fs_.openSync)(file, external_node_fs_.constants.O_RDONLY);
        try {
            let start = this.used;
            let end = start;
            for (;;) {
                if (end === this.chunk.length) {
                    // The file does not fit in what is left: carry what was read into a fresh chunk. The old
                    // chunk stays alive as long as the files read into it are held.
                    const fresh = Buffer.allocUnsafe(Math.max(CHUNK_SIZE, 2 * (end - start)));
                    this.chunk.copy(fresh, 0, start, end);
                    this.chunk = fresh;
                    end -= start;
                    start = 0;
                }
                const wanted = this.chunk.length - end;
                const count = (0,external_node_fs_.readSync)(fd, this.chunk, end, wanted, null);
                end += count;
                // A regular file reads short only at its end.
                if (count < wanted) {
                    this.used = end;
                    return { chunk: this.chunk, start, end };
                }
            }
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/files/migration-name.ts

const VERSIONED = /^([VU])([^_]*(?:_(?!_)[^_]*)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;
/**
 * Starts like a migration: V or U then a digit or an underscore, or R then an underscore, in either
 * case. Other names (`Values__seed.sql`, `users.sql`) are not migrations at all.
 */
const LOOKS_LIKE_MIGRATION = /^(?:[VvUu][\d_]|[Rr]_)/;
function classifyName(name) {
    if (!LOOKS_LIKE_MIGRATION.test(name))
        return { kind: 'other' };
    const versioned = VERSIONED.exec(name);
    if (versioned) {
        // Indexed rather than destructured: array destructuring walks an iterator, and this runs for every file.
        const prefix = versioned[1];
        const rawVersion = versioned[2];
        const rawDescription = versioned[3];
        const version = (0,files_version/* parseVersion */.o)(rawVersion);
        if (!version) {
            return {
                kind: 'malformed',
                problem: `"${rawVersion}" is not a version: use whole numbers separated by "." or "_", like 1, 2_1 or 20240115093000`,
            };
        }
        const description = describe(rawDescription);
        if (description === '')
            return { kind: 'malformed', problem: 'the description after "__" is empty' };
        return { kind: prefix === 'V' ? 'versioned' : 'undo', version, description };
    }
    const repeatable = REPEATABLE.exec(name);
    if (repeatable) {
        const description = describe(repeatable[1]);
        if (description === '')
            return { kind: 'malformed', problem: 'the description after "__" is empty' };
        return { kind: 'repeatable', version: undefined, description };
    }
    return { kind: 'malformed', problem: malformedReason(name) };
}
function describe(raw) {
    return raw.replaceAll('_', ' ').trim();
}
function malformedReason(name) {
    if (/^[vur]/.test(name))
        return `the prefix must be an upper-case ${name[0]?.toUpperCase()}`;
    if (!name.includes('__'))
        return 'the version and the description must be separated by two underscores ("__")';
    if (name.endsWith('__.sql'))
        return 'the description after "__" is empty';
    return 'expected V<version>__<description>.sql, U<version>__<description>.sql or R__<description>.sql';
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/files/migration-files.ts









const INPUT = 'migrations-dir';
/**
 * Files read between two turns of the event loop. Reading is synchronous (see FileArena), and the
 * connection is being made (and for plan, validate and info the history read) meanwhile: its
 * replies are handled between batches, so the server's work overlaps the reading instead of
 * following it. A batch takes a few milliseconds.
 */
const FILES_PER_TURN = 128;
async function loadMigrations(dir, workspace, { onListed } = {}) {
    const names = await listSqlFiles(dir);
    const versioned = [];
    const repeatable = [];
    const undoOf = [];
    const ignored = [];
    const malformed = [];
    for (const script of names) {
        // The file name after the last `/`, without path.posix.basename's checks on every one of them.
        const verdict = classifyName(script.slice(script.lastIndexOf('/') + 1));
        if (verdict.kind === 'other')
            ignored.push(script);
        else if (verdict.kind === 'malformed')
            malformed.push(`${script}: ${verdict.problem}`);
        else {
            const named = { ...verdict, script };
            if (named.kind === 'versioned')
                versioned.push(named);
            else if (named.kind === 'repeatable')
                repeatable.push(named);
            else
                undoOf.push(named);
        }
    }
    if (malformed.length > 0) {
        throw new errors/* ConfigurationError */.j1(`${malformed.length} file(s) in ${INPUT} look like migrations but are misnamed, so they would be skipped: ${malformed.join('; ')}.`, {
            input: INPUT,
            hint: 'name migrations V<version>__<description>.sql, R__<description>.sql or U<version>__<description>.sql, and keep other .sql files outside migrations-dir or named otherwise',
        });
    }
    const undo = new Map();
    for (const named of undoOf) {
        const key = named.version.key;
        const first = undo.get(key);
        if (first)
            throw duplicate(first, named);
        undo.set(key, named);
    }
    // Sorting is stable, so two files of the same version (or description) end up side by side, in
    // the order they were listed: no map of every key is needed to find them.
    versioned.sort((a, b) => (0,files_version/* compareVersions */.Z)(a.version, b.version));
    throwOnNeighbours(versioned, (a, b) => (0,files_version/* compareVersions */.Z)(a.version, b.version) === 0);
    repeatable.sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));
    throwOnNeighbours(repeatable, (a, b) => a.description === b.description);
    onListed?.({ versions: versioned.map((named) => named.version.text) });
    const arena = new FileArena();
    const annotationDir = annotationPrefix(dir, workspace);
    const read = (named) => readMigration(arena, dir, named, annotationDir);
    const undoFiles = await readEach([...undo.values()], read);
    return {
        versioned: await readEach(versioned, read),
        repeatable: await readEach(repeatable, read),
        undo: new Map(undoFiles.map((file) => [file.version.key, file])),
        ignored,
    };
}
/** `read` of each, in order, with a turn of the event loop every FILES_PER_TURN files. */
async function readEach(named, read) {
    const files = [];
    for (let index = 0; index < named.length; index++) {
        if (index % FILES_PER_TURN === FILES_PER_TURN - 1)
            await (0,external_node_timers_promises_.setImmediate)();
        files.push(read(named[index]));
    }
    return files;
}
function readMigration(arena, dir, { kind, version, description, script }, annotationDir) {
    let bytes;
    try {
        bytes = arena.read(`${dir}${(external_node_path_default()).sep}${script}`);
    }
    catch (error) {
        throw unreadable(script, error);
    }
    const view = bytes.chunk.subarray(bytes.start, bytes.end);
    // UTF-8 decodes a NUL byte, and only a NUL byte, to U+0000.
    if (view.includes(0))
        throw nulByte(script, view);
    const raw = rawChecksum(view);
    const sql = raw === undefined ? decodeSql(bytes) : undefined;
    return new LoadedMigration(kind, version, description, script, `${annotationDir}${script}`, raw ?? migrationChecksum(sql), bytes, sql);
}
function throwOnNeighbours(sorted, same) {
    for (let index = 1; index < sorted.length; index++) {
        const first = sorted[index - 1];
        const second = sorted[index];
        if (same(first, second))
            throw duplicate(first, second);
    }
}
function duplicate(first, second) {
    const what = first.kind === 'repeatable'
        ? `the repeatable migration "${first.description}"`
        : `${first.kind === 'undo' ? 'the undo of ' : ''}version ${first.version?.text}`;
    return new errors/* ConfigurationError */.j1(`${INPUT}: ${first.script} and ${second.script} are both ${what}.`, {
        input: INPUT,
        hint: 'each version (1 and 1.0 are the same version) and each repeatable description may exist once: rename one of them',
    });
}
const BYTE_ORDER_MARK = 0xfeff;
/** A file listed a moment ago that cannot be opened or read: permissions, or removed meanwhile. */
function unreadable(script, error) {
    return new errors/* ConfigurationError */.j1(`${INPUT}: ${script} cannot be read: ${(0,errors/* errorMessage */.gJ)(error)}.`, {
        input: INPUT,
        hint: 'make the file readable by the runner (and keep other steps from changing migrations-dir while this one runs)',
    });
}
/** PostgreSQL ends a query's text at a NUL byte: the rest of the file would silently not run. */
function nulByte(name, bytes) {
    const offset = bytes.indexOf(0);
    const line = bytes.subarray(0, offset).toString('latin1').split('\n').length;
    return new errors/* ConfigurationError */.j1(`${INPUT}: ${name} contains a NUL byte at byte offset ${offset} (line ${line}): PostgreSQL ends a query at a NUL byte, so only the part before it would run.`, {
        input: INPUT,
        hint: 'a file saved as UTF-16 (as some Windows editors do) is full of NUL bytes: save it as UTF-8; otherwise remove the byte',
    });
}
/**
 * A migration whose text is decoded when first asked for: plan and validate compare thousands of
 * applied files by checksum alone, and decoding them all (and holding the strings) is most of what
 * loading them would cost. Files whose checksum needed the text have it already.
 */
class LoadedMigration {
    kind;
    version;
    description;
    script;
    annotationPath;
    checksum;
    bytes;
    text;
    constructor(kind, version, description, script, annotationPath, checksum, bytes, text) {
        this.kind = kind;
        this.version = version;
        this.description = description;
        this.script = script;
        this.annotationPath = annotationPath;
        this.checksum = checksum;
        this.bytes = bytes;
        this.text = text;
    }
    get sql() {
        this.text ??= decodeSql(this.bytes);
        return this.text;
    }
}
function decodeSql({ chunk, start, end }) {
    const text = chunk.toString('utf8', start, end);
    return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}
/**
 * Every `.sql` file under `dir` (which inputs.ts checked), as sorted paths relative to it with `/`;
 * hidden entries skipped. A symbolic link to a file counts as that file; one to a directory, and
 * one whose target is missing, fail the step rather than leave migrations out unseen.
 */
async function listSqlFiles(dir) {
    const entries = await (0,promises_.readdir)(dir, { recursive: true, withFileTypes: true });
    return entries
        .flatMap((entry) => {
        // Most migrations sit at the top: their name is already the path, with nothing to split.
        const top = entry.parentPath === dir;
        const name = top
            ? entry.name
            : `${external_node_path_default().relative(dir, entry.parentPath)}${(external_node_path_default()).sep}${entry.name}`.split((external_node_path_default()).sep).join('/');
        if (top ? name.startsWith('.') : name.split('/').some((part) => part.startsWith('.')))
            return [];
        const file = entry.isSymbolicLink() ? linksToFile(dir, name) : entry.isFile();
        return file && entry.name.toLowerCase().endsWith('.sql') ? [name] : [];
    })
        .sort();
}
function linksToFile(dir, name) {
    const link = external_node_path_default().join(dir, name);
    let target;
    try {
        target = (0,external_node_fs_.statSync)(link);
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j1(`${INPUT}: ${name} is a symbolic link to ${(0,external_node_fs_.readlinkSync)(link)}, which cannot be read (${(0,errors/* errorMessage */.gJ)(error)}), so the migrations it may hold would be left out.`, {
            input: INPUT,
            hint: 'check out what it points at (a submodule, a generated file) before this step, or remove the link',
        });
    }
    if (target.isDirectory()) {
        throw new errors/* ConfigurationError */.j1(`${INPUT}: ${name} is a symbolic link to the directory ${(0,external_node_fs_.readlinkSync)(link)}, which Gantry does not search, so the migrations in it would be left out.`, {
            input: INPUT,
            hint: 'move the files into migrations-dir, link them one by one, or point migrations-dir at that directory',
        });
    }
    return target.isFile();
}
/** What annotation paths start with: the directory relative to the workspace when inside it, else absolute. */
function annotationPrefix(dir, workspace) {
    const relative = external_node_path_default().relative(workspace, dir);
    if (relative === '')
        return '';
    const inside = !relative.startsWith('..') && !external_node_path_default().isAbsolute(relative);
    return `${(inside ? relative : dir).split((external_node_path_default()).sep).join('/')}/`;
}

// EXTERNAL MODULE: ./shared/src/runner/outputs.ts
var outputs = __webpack_require__(5652);
// EXTERNAL MODULE: ./shared/src/runner/summary.ts
var runner_summary = __webpack_require__(1810);
;// CONCATENATED MODULE: ./actions/migrate/src/native/report.ts





function writeOutputs(outcome) {
    (0,outputs/* setOutputs */.n)({
        applied: outcome.applied.map((result) => ({
            version: result.migration.version?.text ?? null,
            description: result.migration.description,
            type: result.type,
            script: result.migration.script,
            'execution-ms': Math.round(result.executionMs),
        })),
        'pending-count': outcome.pending.length,
        'current-version': outcome.currentVersion ?? '',
        'lint-findings': outcome.findings.map((finding) => ({
            file: finding.file,
            line: finding.line,
            rule: finding.rule,
            severity: finding.severity,
            message: finding.message,
        })),
        drift: outcome.drift.map((item) => ({ kind: item.kind, version: item.version, script: item.script })),
    });
}
function annotate(outcome) {
    for (const finding of outcome.findings) {
        const location = {
            title: `${finding.rule}`,
            file: finding.file,
            startLine: finding.line,
            endLine: finding.endLine,
        };
        if (finding.severity === 'error')
            log/* error */.z3(finding.message, location);
        else if (finding.severity === 'warning')
            log/* warning */.$e(finding.message, location);
        else
            log/* notice */.lm(finding.message, location);
    }
    if (outcome.command !== 'migrate') {
        for (const row of outcome.state.failed) {
            log/* warning */.$e(`${row.script} failed in its last attempt (${row.appliedAt}): ${firstLine(row.error ?? 'no error recorded')} migrate will try it again.`, { title: 'Failed migration' });
        }
    }
    for (const item of outcome.drift.filter((drift) => drift.kind === 'unknown')) {
        log/* warning */.$e(item.message, { title: 'Database ahead of the migration files' });
    }
    for (const problem of outcome.problems) {
        log/* error */.z3(problem.message, {
            title: problem.title,
            ...(problem.file ? { file: problem.file } : {}),
            ...(problem.line ? { startLine: problem.line } : {}),
        });
    }
}
const TITLES = {
    migrate: 'Database migrations',
    plan: 'Migration plan',
    validate: 'Migration validation',
    baseline: 'Migration baseline',
    undo: 'Migration undo',
    info: 'Migration status',
};
function buildSummary(outcome, elapsedMs) {
    const summary = new runner_summary/* JobSummary */.c3().heading(`${TITLES[outcome.command]}: ${headline(outcome)}`);
    const before = outcome.state.currentVersion?.text;
    summary.paragraph([
        `Database \`${escapeCode(outcome.target)}\`, history table \`${escapeCode(outcome.history.display)}\`${historyNote(outcome)}.`,
        `Version ${before ?? 'none'}${outcome.currentVersion !== before ? ` → ${outcome.currentVersion ?? 'none'}` : ''}, in ${(0,duration/* formatDuration */.a)(elapsedMs)}.`,
        ...(outcome.note ? [(0,runner_summary/* escapeInline */.VV)(outcome.note)] : []),
    ].join(' '));
    if (outcome.applied.length > 0) {
        summary.heading(outcome.command === 'undo' ? 'Undone' : 'Applied', 3).table(['Version', 'Description', 'Type', 'Took', 'Attempts', 'Transaction'], outcome.applied.map((result) => [
            result.migration.version?.text ?? '',
            (0,runner_summary/* escapeInline */.VV)(result.migration.description),
            result.type,
            (0,duration/* formatDuration */.a)(result.executionMs),
            result.attempts,
            result.inTransaction ? 'yes' : 'no (statement by statement)',
        ]));
    }
    if (outcome.problems.length > 0) {
        summary.heading('Problems', 3).list(outcome.problems.map((problem) => (0,runner_summary/* escapeInline */.VV)(problem.message)));
    }
    if (outcome.pending.length > 0) {
        summary.heading(outcome.command === 'plan' ? 'Would apply' : 'Pending', 3).table(['Version', 'Description', 'Type', 'File'], outcome.pending.map(({ migration, type }) => [
            migration.version?.text ?? '',
            (0,runner_summary/* escapeInline */.VV)(migration.description),
            type,
            `\`${escapeCode(migration.script)}\``,
        ]));
    }
    if (outcome.findings.length > 0) {
        summary.heading('Lint findings', 3).table(['Where', 'Rule', 'Severity', 'Finding'], outcome.findings.map((finding) => [
            `\`${escapeCode(finding.script)}:${finding.line}\``,
            finding.rule,
            severityLabel(finding),
            (0,runner_summary/* escapeInline */.VV)(finding.message),
        ]));
    }
    if (outcome.drift.length > 0) {
        summary.heading('Drift', 3).table(['Kind', 'Version', 'Script', 'Detail'], outcome.drift.map((item) => [
            item.kind,
            item.version,
            `\`${escapeCode(item.script)}\``,
            (0,runner_summary/* escapeInline */.VV)(item.message),
        ]));
    }
    if (outcome.command === 'info')
        addHistory(summary, outcome);
    return summary;
}
function historyNote(outcome) {
    if (outcome.historyCreated)
        return ' (created by this run)';
    return outcome.historyExisted ? '' : ' (not created yet)';
}
function headline(outcome) {
    const failed = outcome.problems.length > 0 || outcome.findings.some((finding) => finding.severity === 'error');
    const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
    switch (outcome.command) {
        case 'migrate':
            if (failed) {
                return outcome.applied.length === 0
                    ? 'stopped before applying anything'
                    : `failed after applying ${count(outcome.applied.length, 'migration')}`;
            }
            return outcome.applied.length === 0
                ? 'up to date'
                : `applied ${count(outcome.applied.length, 'migration')}`;
        case 'plan':
            return `${count(outcome.pending.length, 'pending migration')}${failed ? ', and problems that stop migrate' : ''}`;
        case 'validate':
            return failed
                ? `${count(outcome.problems.length, 'problem')}`
                : 'the applied migrations match the files';
        case 'baseline':
            return failed ? 'refused' : `marked at version ${outcome.currentVersion}`;
        case 'undo':
            return failed ? 'failed' : `undid version ${outcome.applied[0]?.migration.version?.text}`;
        case 'info':
            return `version ${outcome.currentVersion ?? 'none'}, ${count(outcome.pending.length, 'pending migration')}`;
    }
}
/** The last rows of the history table, newest first: those readHistory reads in full. */
function addHistory(summary, outcome) {
    const rows = outcome.rows.slice(-database_history/* HISTORY_ROWS_DETAILED */.gg).reverse();
    if (rows.length === 0)
        return;
    summary.heading(`History (latest ${rows.length} of ${outcome.rows.length})`, 3).table(['Version', 'Description', 'Type', 'Result', 'Applied at', 'By', 'Took'], rows.map((row) => [
        row.version ?? '',
        (0,runner_summary/* escapeInline */.VV)(row.description),
        row.type,
        row.success ? 'success' : 'failed',
        row.appliedAt ?? '',
        (0,runner_summary/* escapeInline */.VV)(row.appliedBy ?? ''),
        row.executionMs === null ? '' : (0,duration/* formatDuration */.a)(row.executionMs),
    ]));
}
function severityLabel(finding) {
    if (finding.severity === 'error')
        return finding.destructive ? 'error (destructive)' : 'error';
    return finding.destructive ? `${finding.severity} (destructive, allowed)` : finding.severity;
}
function firstLine(text) {
    return text.split('\n')[0];
}
/** Inside a code span only a backtick can end it early. */
function escapeCode(text) {
    return text.replaceAll('`', "'");
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/early-start.ts



/** These never write: their session is read-only, enforced by the server. */
const READ_ONLY = new Set(['plan', 'validate', 'info']);
/** These parse SQL whatever the history says: their parser starts loading before anything else. */
const LOADS_PARSER_EARLY = new Set(['migrate', 'undo']);
/**
 * What runs while the migration files are read, rather than after: with thousands of files, reading
 * and checksumming them is most of a plan or validate. It is synchronous work, which the loader
 * interrupts every few milliseconds, so that meanwhile:
 * - the connection is made (the server forks and authenticates the session on its own core), as
 *   soon as the file names are checked: a misnamed migration still fails the step before any
 *   connection is attempted;
 * - plan, validate and info read the history: they take no lock, so when it is read does not matter;
 * - the SQL parser loads (its WebAssembly compiles off the main thread): at once for migrate and
 *   undo, and for plan as soon as the names and the history show a version the database does not
 *   have. A plan with nothing pending never loads it.
 * Should a file then turn out unreadable, `abandon` stops the connection's retries and closes it.
 */
class EarlyStart {
    inputs;
    stopConnecting = new AbortController();
    signal;
    connecting;
    historyRead;
    loadParser;
    parser;
    /** `loadParser` is loadSqlParser, or in tests one that counts its loads. */
    constructor(inputs, signal, loadParser = loadSqlParser) {
        this.inputs = inputs;
        this.signal = AbortSignal.any([signal, this.stopConnecting.signal]);
        this.loadParser = loadParser;
        if (LOADS_PARSER_EARLY.has(inputs.command))
            this.parser = quiet(loadParser());
    }
    /** For loadMigrations: the names are checked, the files are about to be read. */
    onListed = (listed) => {
        const connecting = this.connection();
        if (!READ_ONLY.has(this.inputs.command))
            return;
        const history = quiet(connecting.then((connection) => readHistoryTable(connection, this.inputs.history)));
        this.historyRead = history;
        if (this.inputs.command === 'plan') {
            this.parser = quiet(history.then(({ rows }) => (hasNewVersion(listed, rows) ? this.loadParser() : undefined)));
        }
    };
    connection() {
        this.connecting ??= quiet(connect(this.inputs.connection, {
            readOnly: READ_ONLY.has(this.inputs.command),
            timeoutMs: this.inputs.connectTimeoutMs,
            signal: this.signal,
        }));
        return this.connecting;
    }
    /** The history as read while the files loaded: only for the read-only commands. */
    get history() {
        return this.historyRead;
    }
    /** The parser: the one already loading, or a fresh load. */
    sqlParser = async () => (await this.parser) ?? this.loadParser();
    /** The files could not be loaded: nothing else may go on. */
    abandon(reason) {
        this.stopConnecting.abort(reason);
        void this.connecting?.then((connection) => connection.end(), () => undefined);
    }
}
/**
 * Each of these is awaited later, or never when something fails first: a rejection must then not
 * surface as an unhandled one. Whoever awaits it still sees it.
 */
function quiet(promise) {
    promise.catch(() => undefined);
    return promise;
}
/**
 * Only a hint for loading the parser early: analyse() decides what is pending. A version written
 * differently in the table (`1.0` for the file's `1`) merely starts a load that was not needed; a
 * changed repeatable migration, which only its checksum shows, has the parser loaded when needed.
 */
function hasNewVersion(listed, rows) {
    const applied = new Set();
    for (const row of rows)
        if (row.success && row.version !== null)
            applied.add(row.version);
    return listed.versions.some((version) => !applied.has(version));
}

;// CONCATENATED MODULE: ./actions/migrate/src/native/run.ts









const HANDLERS = { migrate: migrate, plan: plan, validate: validate, baseline: baseline, undo: undo, info: info };
/**
 * mode: native. Gantry applies the SQL migrations itself: read and check the files (connecting
 * meanwhile, see early-start.ts), run the command's handler, then the annotations, outputs and job
 * summary, and fail when a problem was found.
 */
async function runNative({ signal, startedAt }) {
    const inputs = (0,src_inputs/* readInputs */.Ko)();
    const early = new EarlyStart(inputs, signal);
    let migrations;
    try {
        migrations = await loadMigrations(inputs.migrationsDir, inputs.workspace, { onListed: early.onListed });
    }
    catch (error) {
        early.abandon(error);
        throw error;
    }
    log/* info */.pq(`${external_node_path_default().relative(inputs.workspace, inputs.migrationsDir) || '.'}: ${migrations.versioned.length} versioned, ${migrations.repeatable.length} repeatable and ` +
        `${migrations.undo.size} undo migrations.`);
    if (migrations.ignored.length > 0) {
        log/* info */.pq(`Not migrations, left alone: ${migrations.ignored.join(', ')}.`);
    }
    const connection = await early.connection();
    let outcome;
    try {
        log/* info */.pq(`Connected to ${connection.target} (PostgreSQL ${serverVersionText(connection.serverVersion)}).`);
        outcome = await HANDLERS[inputs.command]({
            inputs,
            migrations,
            connection,
            parser: early.sqlParser,
            signal,
            runUrl: runUrl(),
            earlyHistory: early.history,
        });
    }
    catch (error) {
        await connection.end();
        throw error;
    }
    // The report needs nothing more from the server: it is written while the connection closes.
    const closing = connection.end();
    annotate(outcome);
    writeOutputs(outcome);
    await buildSummary(outcome, Date.now() - startedAt).write();
    await closing;
    const reason = failureReason(outcome);
    if (reason)
        throw new errors/* ReportedFailure */.g7(reason);
}
function failureReason(outcome) {
    const errors = outcome.findings.filter((finding) => finding.severity === 'error');
    const reasons = [
        ...outcome.problems.map((problem) => problem.message),
        ...errors.map((finding) => finding.message),
    ];
    if (reasons.length === 0)
        return undefined;
    const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more problem(s), see the annotations)` : '';
    // migrate and undo check everything before they run anything: say so when that is where they stopped.
    const stoppedByChecks = (outcome.command === 'migrate' || outcome.command === 'undo') &&
        outcome.problems.every((problem) => problem.phase === 'check');
    return `${stoppedByChecks ? 'Nothing was applied: ' : ''}${reasons[0]}${more}`;
}
function runUrl() {
    const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
    if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID)
        return null;
    return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
}
/** server_version_num as PostgreSQL writes the version: 150004 is 15.4, 90624 is 9.6.24. */
function serverVersionText(version) {
    const major = Math.floor(version / 10000);
    if (major >= 10)
        return `${major}.${version % 10000}`;
    return `${major}.${Math.floor(version / 100) % 100}.${version % 100}`;
}


/***/ }),

/***/ 2874:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ Deadline),
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5082);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3904);


const systemClock = { now: () => Date.now() };
/**
 * One deadline for one long wait: created from the user's timeout input, passed down to every
 * retry and poll inside that wait, and reporting what was awaited when it passes.
 */
class Deadline {
    at;
    what;
    timeoutMs;
    clock;
    constructor(timeoutMs, what, clock = systemClock) {
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.at = clock.now() + timeoutMs;
        this.what = what;
    }
    remaining() {
        return Math.max(0, this.at - this.clock.now());
    }
    expired() {
        return this.remaining() === 0;
    }
    /**
     * A signal for every call made under this deadline: it aborts with this deadline's error when the
     * deadline passes, or with `parent`'s reason when that aborts first.
     */
    signal(parent) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(this.error()), this.remaining());
        // The deadline alone must not keep a finished action's process alive.
        timer.unref();
        controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
        if (parent?.aborted)
            controller.abort(parent.reason);
        parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
        return controller.signal;
    }
    error(detail = '') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeadlineExceededError */ .Kt(`Timed out after ${(0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(this.timeoutMs)} waiting for ${this.what}${detail ? `: ${detail}` : ''}.`);
    }
}


/***/ }),

/***/ 3014:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   aB: () => (/* binding */ RetryExhaustedError),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter)
/* harmony export */ });
/* harmony import */ var _formats_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5082);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2874);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3904);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8859);




class RetryExhaustedError extends _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ActionError */ .lZ {
    attempts;
    lastError;
    constructor(message, attempts, lastError) {
        super(message, { cause: lastError });
        this.name = 'RetryExhaustedError';
        this.attempts = attempts;
        this.lastError = lastError;
    }
}
async function retry(fn, options) {
    const { attempts = Number.POSITIVE_INFINITY, initialDelayMs = 500, maxDelayMs = 30_000, clock = _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m, sleep = _sleep_js__WEBPACK_IMPORTED_MODULE_3__/* .sleep */ .yy, random = Math.random, } = options;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        (0,_sleep_js__WEBPACK_IMPORTED_MODULE_3__/* .throwIfAborted */ .Te)(options.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            // An attempt that failed once the signal was aborted: the abort is the answer, not a retry
            // (nor a "retrying" line after whatever aborted it).
            (0,_sleep_js__WEBPACK_IMPORTED_MODULE_3__/* .throwIfAborted */ .Te)(options.signal);
            const verdict = options.classify(error);
            if (!verdict.transient)
                throw error;
            const backoff = random() * Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
            const delayMs = Math.max(backoff, verdict.retryAfterMs ?? 0);
            const elapsed = (0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(clock.now() - started);
            if (attempt >= attempts) {
                throw new RetryExhaustedError(`${options.what} failed after ${attempt} attempts in ${elapsed}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`, attempt, error);
            }
            if (options.deadline && delayMs >= options.deadline.remaining()) {
                throw new RetryExhaustedError(`${options.what} failed after ${attempt} attempts in ${elapsed}, the deadline of ` +
                    `${(0,_formats_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(options.deadline.timeoutMs)} leaves no time for another: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`, attempt, error);
            }
            options.onRetry?.({ attempt, delayMs, reason: verdict.reason, error });
            await sleep(delayMs, options.signal);
        }
    }
}
/** Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from now. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    // Delta-seconds are whole by the RFC; a fraction some servers send is still seconds, not a date.
    if (/^\d+(\.\d+)?$/.test(trimmed))
        return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}


/***/ }),

/***/ 8859:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Js: () => (/* binding */ abortReason),
/* harmony export */   Te: () => (/* binding */ throwIfAborted),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3904);


/** Waits `ms`, or rejects with the signal's reason (a CancelledError) as soon as it is aborted. */
async function sleep(ms, signal) {
    if (ms <= 0) {
        throwIfAborted(signal);
        return;
    }
    try {
        await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(ms, undefined, signal ? { signal } : undefined);
    }
    catch (error) {
        if (signal?.aborted)
            throw abortReason(signal);
        throw error;
    }
}
function throwIfAborted(signal) {
    if (signal?.aborted)
        throw abortReason(signal);
}
/** The reason an abort carries when Gantry aborted; a bare abort (a DOMException) is a cancellation. */
function abortReason(signal) {
    return signal.reason instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ ? signal.reason : new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .CancelledError */ .cc();
}


/***/ }),

/***/ 5392:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   lm: () => (/* binding */ notice),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony export group */
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2663);
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7852);


function info(message) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .writeLine */ ._r)((0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message));
}
function debug(message) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .issueCommand */ .Lb)('debug', {}, (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message));
}
function warning(message, location = {}) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .annotate */ .fz)('warning', (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), redactLocation(location));
}
function error(message, location = {}) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .annotate */ .fz)('error', (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), redactLocation(location));
}
function notice(message, location = {}) {
    (0,_workflow_commands_js__WEBPACK_IMPORTED_MODULE_1__/* .annotate */ .fz)('notice', (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(message), redactLocation(location));
}
/** Runs `fn` inside a collapsible log group, closing the group however `fn` ends. */
async function group(title, fn) {
    issueCommand('group', {}, redact(title));
    try {
        return await fn();
    }
    finally {
        issueCommand('endgroup', {}, '');
    }
}
function redactLocation(location) {
    return location.title === undefined ? location : { ...location, title: (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(location.title) };
}


/***/ }),

/***/ 5652:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   n: () => (/* binding */ setOutputs)
/* harmony export */ });
/* harmony import */ var _file_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1169);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2663);


function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs)) {
        // Strings inside objects are redacted before JSON escaping could hide a secret's characters.
        const text = typeof value === 'string'
            ? value
            : JSON.stringify(value, (_key, inner) => typeof inner === 'string' ? (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(inner) : inner);
        (0,_file_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH)(name, (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text));
    }
}


/***/ }),

/***/ 1810:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VV: () => (/* binding */ escapeInline),
/* harmony export */   c3: () => (/* binding */ JobSummary)
/* harmony export */ });
/* unused harmony exports link, fencedCode */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2663);


class JobSummary {
    parts = [];
    heading(text, level = 2) {
        this.parts.push(`${'#'.repeat(level)} ${escapeInline(text)}`);
        return this;
    }
    /** A paragraph of Markdown the caller has already built (use `escapeInline` for user text). */
    paragraph(markdown) {
        this.parts.push(markdown);
        return this;
    }
    table(headers, rows) {
        if (rows.length === 0)
            return this;
        const line = (cells) => `| ${cells.map((cell) => escapeCell(String(cell))).join(' | ')} |`;
        this.parts.push([line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n'));
        return this;
    }
    list(items) {
        if (items.length > 0)
            this.parts.push(items.map((item) => `- ${item}`).join('\n'));
        return this;
    }
    details(summaryText, body) {
        this.parts.push(`<details><summary>${escapeHtml(summaryText)}</summary>\n\n${body}\n\n</details>`);
        return this;
    }
    code(text, language = '') {
        this.parts.push(fencedCode(text, language));
        return this;
    }
    toMarkdown() {
        return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(`${this.parts.join('\n\n')}\n`);
    }
    /** Appends to the step summary file; outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write. */
    async write() {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file)
            return;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.appendFile)(file, this.toMarkdown(), 'utf8');
    }
}
const PAREN_ESCAPES = { '(': '%28', ')': '%29' };
function link(text, href) {
    // encodeURIComponent leaves ( and ) alone, and an unbalanced one ends the link early.
    const escaped = redact(href).replace(/[()\s]/g, (char) => PAREN_ESCAPES[char] ?? encodeURIComponent(char));
    return `[${escapeInline(text)}](${escaped})`;
}
function escapeInline(text) {
    return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text).replace(/[\\`*_[\]<>|]/g, '\\$&');
}
function escapeCell(text) {
    return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
function escapeHtml(text) {
    return (0,_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A fenced code block, for `details()` bodies and other Markdown built by hand. */
function fencedCode(text, language = '') {
    // The fence must be longer than any run of backticks in the text, or that run would close it.
    const longestRun = (text.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    return `${fence}${language}\n${text}\n${fence}`;
}


/***/ })

};
