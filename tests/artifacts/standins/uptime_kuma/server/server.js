"use strict";
/*
 * vigil.observability TEST STAND-IN for Uptime Kuma's server/server.js. NOT Uptime Kuma.
 *
 * It behaves the way the real server does where the vigil.observability role and its tests
 * can see it, and nothing more:
 * - refuses Node.js < 18 and 20.0-20.3, warns on 18.x (the check upstream 2.x makes);
 * - reads .env from the working directory (dotenv), then UPTIME_KUMA_HOST / HOST / --host,
 *   UPTIME_KUMA_PORT / PORT / --port (3001) and DATA_DIR / --data-dir (./data/);
 * - creates kuma.db, db-config.json, upload/, screenshots/ and docker-tls/ in the data dir;
 *   kuma.db is a plain text log of the stand-in's starts (NOT an SQLite database);
 * - GET / answers 302 to /dashboard (upstream's health signal), the SPA pages come from dist/;
 * - /socket.io/ speaks just enough Engine.IO 4: the polling handshake, and the WebSocket
 *   upgrade (101 Switching Protocols + the Engine.IO open packet); a websocket request that
 *   reaches it WITHOUT the Upgrade headers gets Engine.IO's 400 "Bad request".
 */
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");
const path = require("path");

const dayjs = require("dayjs");
require("dotenv").config({ quiet: true });

const pkg = require("../package.json");

const BANNER = `Uptime Kuma ${pkg.version} (vigil.observability TEST STAND-IN, not Uptime Kuma)`;
const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

function parseArgs(argv) {
    const args = {};
    for (let i = 0; i < argv.length; i++) {
        const match = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
        if (!match) {
            continue;
        }
        if (match[2] !== undefined) {
            args[match[1]] = match[2];
        } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
            args[match[1]] = argv[++i];
        } else {
            args[match[1]] = true;
        }
    }
    return args;
}

const args = parseArgs(process.argv.slice(2));

if (args.version) {
    console.log(BANNER);
    process.exit(0);
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 18 || (major === 20 && minor < 4)) {
    console.error(`Error: Your Node.js version ${process.versions.node} is not supported, please upgrade to Node.js >= 20.4.`);
    process.exit(1);
}
if (major === 18) {
    console.warn("WARNING: Node.js 18 is not officially supported by Uptime Kuma 2.x; upgrade to Node.js >= 20.4.");
}

const hostname = args.host || process.env.UPTIME_KUMA_HOST || process.env.HOST || undefined;
const port = parseInt(args.port || process.env.UPTIME_KUMA_PORT || process.env.PORT || 3001, 10);
let dataDir = args["data-dir"] || process.env.DATA_DIR || "./data/";
if (!dataDir.endsWith("/")) {
    dataDir += "/";
}
const distDir = path.join(__dirname, "..", "dist");

function log(message) {
    console.log(`${dayjs().format("YYYY-MM-DDTHH:mm:ssZ")} [SERVER] INFO: ${message}`);
}

console.log(BANNER);
log(`Node.js ${process.versions.node}, data dir ${dataDir}`);

// The data directory, as upstream lays it out (kuma.db here is a text log, not SQLite).
for (const sub of ["", "upload", "screenshots", "docker-tls"]) {
    fs.mkdirSync(path.join(dataDir, sub), { recursive: true });
}
const dbConfig = path.join(dataDir, "db-config.json");
if (!fs.existsSync(dbConfig)) {
    fs.writeFileSync(dbConfig, JSON.stringify({ type: "sqlite" }, null, 4) + "\n");
}
const kumaDb = path.join(dataDir, "kuma.db");
if (!fs.existsSync(kumaDb)) {
    fs.writeFileSync(kumaDb, "# vigil.observability TEST STAND-IN database (a text log, not SQLite)\n");
}
fs.appendFileSync(kumaDb, `start ${pkg.version} ${new Date().toISOString()}\n`);

const CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
};

function sendFile(res, file) {
    fs.readFile(file, (err, data) => {
        if (err) {
            res.writeHead(500, { "Content-Type": "text/plain" });
            res.end(`${path.relative(path.join(__dirname, ".."), file)} is missing: the release's dist.tar.gz is not installed\n`);
            return;
        }
        res.writeHead(200, { "Content-Type": CONTENT_TYPES[path.extname(file)] || "application/octet-stream" });
        res.end(data);
    });
}

// Engine.IO's open packet; a websocket connection has nothing left to upgrade to.
function engineOpenPacket(upgrades) {
    return "0" + JSON.stringify({
        sid: crypto.randomBytes(15).toString("base64url"),
        upgrades,
        pingInterval: 25000,
        pingTimeout: 20000,
        maxPayload: 1000000,
    });
}

function badEngineRequest(res) {
    res.writeHead(400, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ code: 3, message: "Bad request" }));
}

const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://stand-in");
    if (url.pathname.startsWith("/socket.io/")) {
        if (url.searchParams.get("EIO") !== "4") {
            return badEngineRequest(res);
        }
        if (url.searchParams.get("transport") === "polling") {
            res.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8" });
            return res.end(engineOpenPacket([ "websocket" ]));
        }
        // transport=websocket without the Upgrade headers: a proxy dropped them.
        return badEngineRequest(res);
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(404, { "Content-Type": "text/plain" });
        return res.end("Not Found\n");
    }
    if (url.pathname === "/") {
        res.writeHead(302, { Location: "/dashboard" });
        return res.end();
    }
    const asset = path.normalize(path.join(distDir, url.pathname));
    if (asset.startsWith(distDir + path.sep) && path.extname(asset) !== "" && fs.existsSync(asset)) {
        return sendFile(res, asset);
    }
    // Every other route is a page of the single-page application.
    return sendFile(res, path.join(distDir, "index.html"));
});

server.on("upgrade", (req, socket) => {
    const url = new URL(req.url, "http://stand-in");
    const key = req.headers["sec-websocket-key"];
    if (!url.pathname.startsWith("/socket.io/") || url.searchParams.get("EIO") !== "4"
        || (req.headers.upgrade || "").toLowerCase() !== "websocket" || !key) {
        socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
        return;
    }
    const accept = crypto.createHash("sha1").update(key + WS_GUID).digest("base64");
    socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
    // One unmasked text frame carrying the Engine.IO open packet, as a server sends it.
    const payload = Buffer.from(engineOpenPacket([]));
    const header = payload.length < 126 ? Buffer.from([ 0x81, payload.length ])
        : Buffer.from([ 0x81, 126, payload.length >> 8, payload.length & 0xff ]);
    socket.write(Buffer.concat([ header, payload ]));
    socket.setTimeout(30000, () => socket.destroy());
    socket.on("data", (data) => {
        if (data.length > 0 && (data[0] & 0x0f) === 0x8) { // close frame: answer and hang up
            socket.end(Buffer.from([ 0x88, 0x00 ]));
        }
    });
    socket.on("error", () => socket.destroy());
});

server.on("error", (err) => {
    console.error(`Cannot listen on ${hostname || "*"}:${port}: ${err.message}`);
    process.exit(1);
});

server.listen(port, hostname, () => {
    log(`Listening on ${hostname || "*"}:${port}`);
});

function shutdown(signal) {
    log(`Shutdown requested (${signal})`);
    fs.appendFileSync(kumaDb, `stop ${pkg.version} ${new Date().toISOString()}\n`);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
