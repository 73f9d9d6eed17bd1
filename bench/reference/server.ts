/**
 * The reference: the same chat written the way most Node teams would. Socket.IO with its Redis
 * adapter for fan-out between servers, every message written to MariaDB (its own tables) before
 * it is broadcast to the conversation's room, a JWT checked once when the socket connects.
 *
 * Environment: PORT (0 picks one), HOST, DATABASE_URL, REDIS_URL, JWT_SECRET.
 * Prints one JSON line {"msg":"reference ready","port":N} when it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { jwtVerify } from "jose";
import { createPool } from "mariadb";
import { Server } from "socket.io";

interface SendPayload {
  conversationId: string;
  clientMessageId: string;
  body: string;
}

const env = {
  port: Number(process.env.PORT ?? 8090),
  host: process.env.HOST ?? "127.0.0.1",
  databaseUrl: process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/parley",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  jwtSecret: new TextEncoder().encode(process.env.JWT_SECRET ?? ""),
};

const db = new URL(env.databaseUrl);
const pool = createPool({
  host: db.hostname,
  port: Number(db.port || 3306),
  user: decodeURIComponent(db.username),
  password: decodeURIComponent(db.password),
  database: db.pathname.slice(1),
  connectionLimit: 10,
  timezone: "Z",
});

await pool.query(`CREATE TABLE IF NOT EXISTS ref_members (
  conversation_id CHAR(26) NOT NULL,
  user_id CHAR(26) NOT NULL,
  PRIMARY KEY (conversation_id, user_id),
  KEY ref_members_user (user_id)
) DEFAULT CHARSET = utf8mb4`);
await pool.query(`CREATE TABLE IF NOT EXISTS ref_messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  conversation_id CHAR(26) NOT NULL,
  sender_id CHAR(26) NOT NULL,
  client_message_id VARCHAR(64) NOT NULL,
  body TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY ref_messages_client (sender_id, client_message_id),
  KEY ref_messages_conversation (conversation_id, id)
) DEFAULT CHARSET = utf8mb4`);

const pub = new Redis(env.redisUrl);
const sub = pub.duplicate();
const http = createServer();
const io = new Server(http, { adapter: createAdapter(pub, sub), serveClient: false });

io.use(async (socket, next) => {
  try {
    const { payload } = await jwtVerify(String(socket.handshake.auth.token ?? ""), env.jwtSecret, {
      issuer: "parley",
      audience: "parley-realtime",
    });
    socket.data.userId = payload.sub;
    next();
  } catch {
    next(new Error("unauthorized"));
  }
});

io.on("connection", async (socket) => {
  const userId = socket.data.userId as string;
  const rows: Array<{ conversation_id: string }> = await pool.query(
    "SELECT conversation_id FROM ref_members WHERE user_id = ?",
    [userId],
  );
  socket.join(rows.map((row) => `c:${row.conversation_id}`));

  socket.on("send", async (message: SendPayload, ack: (reply: object) => void) => {
    if (!socket.rooms.has(`c:${message.conversationId}`)) return ack({ error: "not a member" });
    const createdAt = new Date();
    try {
      const result = await pool.query(
        `INSERT IGNORE INTO ref_messages
           (conversation_id, sender_id, client_message_id, body, created_at)
         VALUES (?, ?, ?, ?, ?)`,
        [message.conversationId, userId, message.clientMessageId, message.body, createdAt],
      );
      // A retried send that was stored before is acknowledged, not broadcast again.
      if (result.affectedRows === 1) {
        io.to(`c:${message.conversationId}`).emit("message", {
          id: String(result.insertId),
          conversationId: message.conversationId,
          senderId: userId,
          clientMessageId: message.clientMessageId,
          body: message.body,
          createdAt: createdAt.toISOString(),
        });
      }
      ack({ ok: true });
    } catch {
      ack({ error: "unavailable" });
    }
  });
  socket.emit("ready");
});

http.listen(env.port, env.host, () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: "reference ready", port })}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    io.close();
    void Promise.allSettled([pool.end(), pub.quit(), sub.quit()]).then(() => process.exit(0));
  });
}
