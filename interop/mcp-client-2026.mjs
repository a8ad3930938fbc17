// Drives an MCP server with the official TypeScript SDK's v2 client (@modelcontextprotocol/client),
// pinned to protocol version 2026-07-28: no initialize handshake, server/discover, every request
// carrying its version, capabilities and client info in _meta. Records what went over the wire
// (methods and the HTTP headers the client sent) beside what came back.
// Usage: node mcp-client-2026.mjs http SERVER IMAGE            (the server's /api/mcp, dev wallet of SERVER)
//        node mcp-client-2026.mjs stdio COMMAND ARG... -- JSON   (a stdio server; JSON: the tool calls)
import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const VERSION = '2026-07-28';
const [mode, ...rest] = process.argv.slice(2);
const client = new Client({ name: 'chroma402-interop-2026', version: '1.0.0' },
  { versionNegotiation: { mode: { pin: VERSION } } });
const out = { wire: [] };

/** Records each POST's JSON-RPC method and MCP headers, and each answer's status. */
const recordingFetch = async (url, init) => {
  const headers = new Headers(init?.headers);
  let method;
  try { method = JSON.parse(init.body).method; } catch { method = undefined; }
  const response = await fetch(url, init);
  out.wire.push({
    method,
    status: response.status,
    protocol_version: headers.get('mcp-protocol-version'),
    mcp_method: headers.get('mcp-method'),
    mcp_name: headers.get('mcp-name'),
    session: headers.get('mcp-session-id'),
  });
  return response;
};

async function common() {
  out.negotiated = client.getNegotiatedProtocolVersion();
  out.server = client.getServerVersion();
  const discovered = await client.discover();
  out.discover = discovered;
  out.tools = (await client.listTools()).tools.map((t) => t.name);
}

if (mode === 'http') {
  const [server, imagePath] = rest;
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server}/api/mcp`), { fetch: recordingFetch }));
  await common();
  const image = readFileSync(imagePath).toString('base64');
  const unpaid = await client.callTool({ name: 'colorize_image', arguments: { image, model_size: 'tiny' } });
  out.unpaid = unpaid.structuredContent;
  out.unpaid_result_type = unpaid.resultType ?? null;
  const pay = await fetch(`${server}/api/dev/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ invoice: unpaid.structuredContent.invoice }),
  });
  const { preimage } = await pay.json();
  const paid = await client.callTool({
    name: 'colorize_image',
    arguments: { image, model_size: 'tiny', macaroon: unpaid.structuredContent.macaroon, preimage, return_image: true },
  });
  out.paid = paid.structuredContent;
  out.paid_is_error = paid.isError ?? false;
  out.paid_content_types = paid.content.map((c) => c.type);
  out.paid_image_bytes = Buffer.from(paid.content.find((c) => c.type === 'image')?.data ?? '', 'base64').length;
} else if (mode === 'stdio') {
  const split = rest.indexOf('--');
  const [command, ...args] = rest.slice(0, split);
  const calls = JSON.parse(rest[split + 1]);
  await client.connect(new StdioClientTransport({ command, args, stderr: 'inherit' }));
  await common();
  out.calls = [];
  for (const call of calls) {
    const r = await client.callTool(call);
    out.calls.push({ structured: r.structuredContent, is_error: r.isError ?? false });
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
await client.close();
process.stdout.write(JSON.stringify(out));
