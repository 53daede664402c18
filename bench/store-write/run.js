'use strict'
// Issue 6: measure the candidate write paths of the PostgreSQL message store.
//   node bench/store-write/run.js [name-filter ...]
// env: PGURL (postgres://postgres@127.0.0.1:5432), DURATION_MS (5000), RUNS (3), BATCHES (1,10,100,500,2000)
// Creates and finally drops the scratch database warren_writebench. An unfiltered run writes RESULTS.md next to this file.
const { Client } = require('pg')
const { prepareValue } = require('pg/lib/utils')
const copyFrom = require('pg-copy-streams').from
const crypto = require('node:crypto')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const URL = process.env.PGURL || 'postgres://postgres@127.0.0.1:5432'
const DB = 'warren_writebench'
const DURATION = Number(process.env.DURATION_MS || 5000)
const WARMUP = 500
const RUNS = Number(process.env.RUNS || 3)
const BATCHES = (process.env.BATCHES || '1,10,100,500,2000').split(',').map(Number)
const FILTER = process.argv.slice(2)
const PROPS_LEN = 30
const BODY_LEN = 1024
const DELETE_PREFILL = 600_000

// ---- messages ---------------------------------------------------------------------------------
const bodies = Array.from({ length: 256 }, () => crypto.randomBytes(BODY_LEN))
const props = Array.from({ length: 16 }, () => crypto.randomBytes(PROPS_LEN))
let nextId = 1
function makeBatch(n) {
  const batch = []
  for (let i = 0; i < n; i++, nextId++) {
    batch.push({ id: nextId, exchange: 'orders', routingKey: 'order.created.eu', properties: props[nextId % 16],
      body: bodies[nextId % 256], queueId: 1 + (nextId % 4), seq: nextId, priority: 0 })
  }
  return batch
}

// ---- SQL builders (cached per batch size) -----------------------------------------------------
const memo = (fn) => { const m = new Map(); return (n) => m.get(n) ?? (m.set(n, fn(n)), m.get(n)) }
const rows = (n, width, first, shape) =>
  Array.from({ length: n }, (_, i) => shape(...Array.from({ length: width }, (_, k) => `$${first + i * width + k}`))).join(',')
const msgInsertSql = memo((n) => `INSERT INTO messages_s1 VALUES ${rows(n, 5, 2, (...p) => `($1,${p})`)}`)
const qeInsertSql = memo((n) => `INSERT INTO queue_entries_s1 VALUES ${rows(n, 4, 2, (...p) => `($1,${p})`)}`)
// one statement: params per message = id, exchange, routing key, properties, body, queue, seq, priority
const cteSql = memo((n) => `WITH m AS (INSERT INTO messages_s1 VALUES ${rows(n, 8, 2, (id, e, r, p, b) => `($1,${id},${e},${r},${p},${b})`)})
  INSERT INTO queue_entries_s1 VALUES ${rows(n, 8, 2, (id, e, r, p, b, q, s, pr) => `($1,${q},${s},${pr},${id})`)}`)
const UNNEST_SQL = `WITH m AS (INSERT INTO messages_s1 SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bytea[], $6::bytea[]))
  INSERT INTO queue_entries_s1 SELECT $1, * FROM unnest($7::int[], $8::bigint[], $9::smallint[], $2::bigint[])`
const msgParams = (b) => b.flatMap((m) => [m.id, m.exchange, m.routingKey, m.properties, m.body])
const qeParams = (b) => b.flatMap((m) => [m.queueId, m.seq, m.priority, m.id])
const cteParams = (b) => [1, ...b.flatMap((m) => [m.id, m.exchange, m.routingKey, m.properties, m.body, m.queueId, m.seq, m.priority])]

// PostgreSQL binary array (array_recv format), sent as one Buffer parameter => binary, no hex.
function binArray(oid, elems) {
  const out = Buffer.allocUnsafe(20 + elems.reduce((s, e) => s + 4 + e.length, 0))
  out.writeInt32BE(1, 0); out.writeInt32BE(0, 4); out.writeUInt32BE(oid, 8); out.writeInt32BE(elems.length, 12); out.writeInt32BE(1, 16)
  let o = 20
  for (const e of elems) { out.writeInt32BE(e.length, o); e.copy(out, o + 4); o += 4 + e.length }
  return out
}
const i2 = (v) => { const b = Buffer.allocUnsafe(2); b.writeInt16BE(v); return b }
const i4 = (v) => { const b = Buffer.allocUnsafe(4); b.writeInt32BE(v); return b }
const i8 = (v) => { const b = Buffer.allocUnsafe(8); b.writeBigInt64BE(BigInt(v)); return b }
const txt = (s) => Buffer.from(s, 'utf8')

// COPY payloads
const copyText = (b, csv) => {
  const sep = csv ? ',' : '\t', hex = csv ? '\\x' : '\\\\x' // text format unescapes backslashes
  return [Buffer.from(b.map((m) => [1, m.id, m.exchange, m.routingKey, hex + m.properties.toString('hex'), hex + m.body.toString('hex')].join(sep) + '\n').join('')),
    Buffer.from(b.map((m) => [1, m.queueId, m.seq, m.priority, m.id].join(sep) + '\n').join(''))]
}
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)])
const copyBinRows = (fieldRows) => {
  const parts = [COPY_HEADER]
  for (const fields of fieldRows) { parts.push(i2(fields.length)); for (const f of fields) parts.push(i4(f.length), f) }
  parts.push(i2(-1))
  return Buffer.concat(parts)
}
const copyBinary = (b) => [copyBinRows(b.map((m) => [i4(1), i8(m.id), txt(m.exchange), txt(m.routingKey), m.properties, m.body])),
  copyBinRows(b.map((m) => [i4(1), i4(m.queueId), i8(m.seq), i2(m.priority), i8(m.id)]))]
const copyIn = (client, sql, buf) => new Promise((resolve, reject) => {
  const s = client.query(copyFrom(sql)); s.on('error', reject); s.on('finish', resolve); s.end(buf)
})
async function copyTx(client, b, format) {
  const [msgs, qes] = format === 'binary' ? copyBinary(b) : copyText(b, format === 'csv')
  await client.query('BEGIN')
  await copyIn(client, `COPY messages_s1 FROM STDIN (FORMAT ${format})`, msgs)
  await copyIn(client, `COPY queue_entries_s1 FROM STDIN (FORMAT ${format})`, qes)
  await client.query('COMMIT')
}

// ---- writers: (client, batch) => Promise ------------------------------------------------------
const W = {
  insertTx: async (c, b) => {
    await c.query('BEGIN')
    await c.query(msgInsertSql(b.length), [1, ...msgParams(b)])
    await c.query(qeInsertSql(b.length), [1, ...qeParams(b)])
    await c.query('COMMIT')
  },
  // pipeline: true client: the four statements of one transaction go out in one write
  insertTxPipelined: (c, b) => Promise.all([c.query('BEGIN'), c.query(msgInsertSql(b.length), [1, ...msgParams(b)]),
    c.query(qeInsertSql(b.length), [1, ...qeParams(b)]), c.query('COMMIT')]),
  cte: (c, b) => c.query(cteSql(b.length), cteParams(b)),
  ctePrepared: (c, b) => c.query({ name: `cte${b.length}`, text: cteSql(b.length), values: cteParams(b) }),
  unnestHex: (c, b) => c.query({ name: 'unnest', text: UNNEST_SQL, values: [1, b.map((m) => m.id), b.map((m) => m.exchange),
    b.map((m) => m.routingKey), b.map((m) => m.properties), b.map((m) => m.body), b.map((m) => m.queueId), b.map((m) => m.seq), b.map((m) => m.priority)] }),
  unnestBinary: (c, b) => c.query({ name: 'unnest', text: UNNEST_SQL, values: [1, binArray(20, b.map((m) => i8(m.id))),
    binArray(25, b.map((m) => txt(m.exchange))), binArray(25, b.map((m) => txt(m.routingKey))), binArray(17, b.map((m) => m.properties)),
    binArray(17, b.map((m) => m.body)), binArray(23, b.map((m) => i4(m.queueId))), binArray(20, b.map((m) => i8(m.seq))), binArray(21, b.map((m) => i2(m.priority)))] }),
  copyText: (c, b) => copyTx(c, b, 'text'),
  copyCsv: (c, b) => copyTx(c, b, 'csv'),
  copyBinary: (c, b) => copyTx(c, b, 'binary'),
}

// ---- ack writers (rows to ack are queue entries seq 1.. in queue 1..4 as makeBatch made them) --
const ACK = {
  ackInsert: (c, b) => c.query({ name: 'ack', text: 'INSERT INTO acks_s1 SELECT 1, * FROM unnest($1::int[], $2::bigint[])',
    values: [b.map((m) => m.queueId), b.map((m) => m.id)] }),
  deleteRowByRow: async (c, b) => {
    if (b.length > 1) await c.query('BEGIN')
    for (const m of b) await c.query({ name: 'del1', text: 'DELETE FROM queue_entries_s1 WHERE segment = 1 AND queue_id = $1 AND seq = $2', values: [m.queueId, m.seq] })
    if (b.length > 1) await c.query('COMMIT')
  },
  deleteAny: (c, b) => c.query({ name: 'delany', text: 'DELETE FROM queue_entries_s1 WHERE segment = 1 AND (queue_id, seq) IN (SELECT * FROM unnest($1::int[], $2::bigint[]))',
    values: [b.map((m) => m.queueId), b.map((m) => m.seq)] }),
}

// name, writer, connections, batches in flight per connection, pg pipeline mode, synchronous_commit off, kind
const CANDIDATES = [
  ['insert-tx', W.insertTx], ['insert-cte', W.cte], ['insert-cte-prepared', W.ctePrepared],
  ['unnest-hex', W.unnestHex], ['unnest-binary', W.unnestBinary],
  ['copy-text', W.copyText], ['copy-csv', W.copyCsv], ['copy-binary', W.copyBinary],
  ['pipeline-tx (1 conn)', W.insertTxPipelined, 1, 1, true],
  ['pipeline-cte x4 (1 conn)', W.ctePrepared, 1, 4, true], ['pipeline-unnest-binary x4 (1 conn)', W.unnestBinary, 1, 4, true],
  ['parallel-cte 2 conns', W.ctePrepared, 2], ['parallel-cte 4 conns', W.ctePrepared, 4],
  ['parallel-unnest-binary 4 conns', W.unnestBinary, 4], ['parallel-copy-binary 4 conns', W.copyBinary, 4],
  ['insert-cte sync_commit=off', W.ctePrepared, 1, 1, false, true],
  ['ack: insert sync_commit=off', ACK.ackInsert, 1, 1, false, true, 'ack'],
  ['ack: DELETE row-by-row sync_commit=off', ACK.deleteRowByRow, 1, 1, false, true, 'delete'],
  ['ack: DELETE batched sync_commit=off', ACK.deleteAny, 1, 1, false, true, 'delete'],
].map(([name, write, conns = 1, depth = 1, pipeline = false, syncOff = false, kind = 'publish']) => ({ name, write, conns, depth, pipeline, syncOff, kind }))
  .filter((c) => FILTER.length === 0 || FILTER.some((f) => c.name.includes(f)))

// ---- harness ----------------------------------------------------------------------------------
async function connect(db, opts = {}) {
  const c = new Client({ connectionString: `${URL}/${db}`, pipeline: opts.pipeline, options: opts.syncOff ? '-c synchronous_commit=off' : undefined })
  await c.connect()
  return c
}

async function createSchema(admin) {
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`)
  await admin.query(`CREATE DATABASE ${DB}`)
  const c = await connect(DB)
  await c.query(`
    CREATE TABLE messages (segment int NOT NULL, id bigint NOT NULL, exchange text NOT NULL, routing_key text NOT NULL,
      properties bytea NOT NULL, body bytea NOT NULL, PRIMARY KEY (segment, id)) PARTITION BY LIST (segment);
    CREATE TABLE messages_s1 PARTITION OF messages FOR VALUES IN (1);
    CREATE TABLE queue_entries (segment int NOT NULL, queue_id int NOT NULL, seq bigint NOT NULL, priority smallint NOT NULL,
      message_id bigint NOT NULL, PRIMARY KEY (segment, queue_id, seq)) PARTITION BY LIST (segment);
    CREATE TABLE queue_entries_s1 PARTITION OF queue_entries FOR VALUES IN (1);
    CREATE TABLE acks (segment int NOT NULL, queue_id int NOT NULL, message_id bigint NOT NULL) PARTITION BY LIST (segment);
    CREATE TABLE acks_s1 PARTITION OF acks FOR VALUES IN (1);`)
  return c
}

async function resetTables(ctl, kind) {
  await ctl.query('TRUNCATE messages_s1, queue_entries_s1, acks_s1')
  nextId = 1
  if (kind === 'delete') {
    await ctl.query(`INSERT INTO queue_entries_s1 SELECT 1, 1 + g % 4, g, 0, g FROM generate_series(1, ${DELETE_PREFILL}) g`)
    await ctl.query('VACUUM ANALYZE queue_entries_s1')
  }
  await ctl.query('CHECKPOINT')
}

// Writes a few messages with each publish writer and reads them back byte for byte.
async function verify(ctl, cand) {
  await resetTables(ctl, cand.kind)
  const clients = await Promise.all([connect(DB, cand)])
  const batch = makeBatch(3)
  await cand.write(clients[0], batch)
  await clients[0].end()
  const { rows: ms } = await ctl.query('SELECT m.*, q.queue_id, q.seq, q.priority FROM messages_s1 m JOIN queue_entries_s1 q ON q.message_id = m.id ORDER BY id')
  const ok = ms.length === 3 && ms.every((r, i) => Number(r.id) === batch[i].id && r.exchange === batch[i].exchange &&
    r.routing_key === batch[i].routingKey && r.properties.equals(batch[i].properties) && r.body.equals(batch[i].body) &&
    r.queue_id === batch[i].queueId && Number(r.seq) === batch[i].seq && r.priority === batch[i].priority)
  if (!ok) throw new Error(`${cand.name}: read-back mismatch`)
}

async function oneRun(ctl, cand, n) {
  await resetTables(ctl, cand.kind)
  const clients = await Promise.all(Array.from({ length: cand.conns }, () => connect(DB, cand)))
  const lat = []
  let count = 0
  const loop = async (client, until) => {
    while (performance.now() < until && !(cand.kind === 'delete' && nextId + n > DELETE_PREFILL)) {
      const batch = makeBatch(n)
      const t = performance.now()
      await cand.write(client, batch)
      lat.push(performance.now() - t)
      count += n
    }
  }
  const all = (until) => Promise.all(clients.flatMap((c) => Array.from({ length: cand.depth }, () => loop(c, until))))
  await all(performance.now() + WARMUP)
  count = 0; lat.length = 0
  const t0 = performance.now()
  await all(t0 + DURATION)
  const secs = (performance.now() - t0) / 1000
  await Promise.all(clients.map((c) => c.end()))
  lat.sort((a, b) => a - b)
  return { rate: count / secs, p50: lat[Math.floor(lat.length / 2)], secs }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (x) => Math.round(x).toLocaleString('en-US')
const mbps = (rate) => (rate * (BODY_LEN + PROPS_LEN)) / 1e6

async function bufferParamCheck(ctl) {
  // If pg sends a Buffer parameter in binary format, the 4 bytes 00 00 00 2a are read as int4 42.
  const { rows } = await ctl.query('SELECT $1::int4 AS v', [Buffer.from([0, 0, 0, 42])])
  const hexLen = prepareValue([Buffer.alloc(BODY_LEN)]).length
  return `Buffer parameter sent binary: ${rows[0].v === 42 ? 'yes' : 'NO'} (00 00 00 2a read as int4 = ${rows[0].v}); ` +
    `a 1 KiB Buffer inside an array parameter becomes ${hexLen} bytes of text`
}

async function main() {
  const admin = await connect('postgres')
  const ctl = await createSchema(admin)
  const check = await bufferParamCheck(ctl)
  console.log(check)
  const results = CANDIDATES.flatMap((cand) => BATCHES.map((n) => ({ cand, n, runs: [] })))
  const load = [os.loadavg()[0]]
  try {
    for (const cand of CANDIDATES) if (cand.kind === 'publish') await verify(ctl, cand)
    // Rounds: every candidate once per round, so a noisy minute on this shared machine hits one run of each, not all runs of one.
    for (let round = 1; round <= RUNS; round++) {
      for (const res of results) {
        const { cand, n, runs } = res
        runs.push(await oneRun(ctl, cand, n))
        res.rate = median(runs.map((x) => x.rate)); res.p50 = median(runs.map((x) => x.p50))
        if (cand.kind === 'delete') {
          await new Promise((r) => setTimeout(r, 1000)) // let the backend's stats reach pg_stat
          res.dead = (await ctl.query("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'queue_entries_s1'")).rows[0].n_dead_tup
        }
        console.log(`round ${round} ${cand.name.padEnd(40)} batch ${String(n).padStart(4)}: ${fmt(runs.at(-1).rate).padStart(9)} msg/s  ` +
          `p50 batch ${runs.at(-1).p50.toFixed(2)} ms${res.dead != null ? `  dead tuples ${res.dead}` : ''}`)
      }
      load.push(os.loadavg()[0])
    }
  } finally {
    await ctl.end()
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`)
    await admin.end()
  }
  if (FILTER.length === 0) await writeResults(results, check, load) // a filtered run only prints
}

async function machine() {
  const c = await connect('postgres')
  const { rows } = await c.query(`SELECT version() AS v, current_setting('shared_buffers') sb, current_setting('wal_sync_method') ws,
    current_setting('max_wal_size') mw, current_setting('full_page_writes') fpw, current_setting('commit_delay') cd`)
  await c.end()
  const r = rows[0]
  return `${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}, Node ${process.version}, ` +
    `pg ${require('pg/package.json').version}, pg-copy-streams ${require('pg-copy-streams/package.json').version}\n` +
    `${r.v.split(' on ')[0]} on 127.0.0.1 (TCP), same host; shared_buffers=${r.sb}, wal_sync_method=${r.ws}, max_wal_size=${r.mw}, ` +
    `full_page_writes=${r.fpw}, commit_delay=${r.cd}`
}

async function writeResults(results, check, load) {
  const names = [...new Set(results.map((r) => r.cand.name))]
  const cell = (name, n) => results.find((r) => r.cand.name === name && r.n === n)
  const head = `| write path | ${BATCHES.map((n) => `batch ${n}`).join(' | ')} |\n|---|${BATCHES.map(() => '---:').join('|')}|\n`
  const table = (f, only = names) => head + only.map((name) => `| ${name} | ${BATCHES.map((n) => (cell(name, n) ? f(cell(name, n)) : '')).join(' | ')} |`).join('\n')
  const md = `# Store write paths: messages/second (issue 6)

Produced by \`node bench/store-write/run.js\` on ${new Date().toISOString().slice(0, 10)}.

${await machine()}
1-minute load average at start and after each round: ${load.map((l) => l.toFixed(1)).join(', ')} (other sessions share the machine).

Each cell is the median of ${RUNS} runs (taken in rounds: every candidate once per round) of ${DURATION / 1000} s (after ${WARMUP} ms warm-up) of: one message = one \`messages_s1\` row
(1 KiB random body, ${PROPS_LEN}-byte properties) + one \`queue_entries_s1\` row, written in one transaction per batch,
\`synchronous_commit=on\` unless the name says otherwise. Tables are list partitions with primary keys
\`(segment, id)\` and \`(segment, queue_id, seq)\`; they are truncated and a CHECKPOINT is taken before every run.
Every publish path is checked first by reading 3 messages back byte for byte.
Ack rows: \`acks_s1(segment, queue_id, message_id)\` without index; the DELETE rows delete queue entries
(from a ${fmt(DELETE_PREFILL)}-row prefill) in FIFO order; "per batch" for row-by-row means N single-row DELETEs in one transaction.

${check}.

## msg/s (MB/s of body + properties)

${table((r) => `${fmt(r.rate)}${r.cand.kind === 'publish' ? ` (${mbps(r.rate).toFixed(1)})` : ''}`)}

## median time per batch, ms (what a publisher waits for its confirm on top of the gathering delay)

${table((r) => r.p50.toFixed(2))}

## all runs, msg/s

${table((r) => r.runs.map((x) => fmt(x.rate)).join(' / '))}

## dead tuples in queue_entries_s1 after the last DELETE run (${fmt(DELETE_PREFILL)} rows before it)

${table((r) => fmt(r.dead), names.filter((name) => name.includes('DELETE')))}
`
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), md)
  console.log(`\n${md}`)
}

main().catch((e) => { console.error(e); process.exit(1) })
