// Drives an MCP server with the official TypeScript SDK (@modelcontextprotocol/sdk): lists the tools,
// calls colorize_image without a credential (a payment-required answer), pays the invoice with the
// wallet given, calls again with the macaroon and preimage, and then once more (a replay).
// Usage: node mcp-client.mjs http SERVER IMAGE           (the server's /api/mcp, dev wallet of SERVER)
//        node mcp-client.mjs stdio COMMAND ARG... -- JSON   (a stdio server; JSON: the tool call's arguments)
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [mode, ...rest] = process.argv.slice(2);
const client = new Client({ name: 'chroma402-interop', version: '1.0.0' });
const out = {};

if (mode === 'http') {
  const [server, imagePath] = rest;
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server}/api/mcp`)));
  out.server = client.getServerVersion();
  out.tools = (await client.listTools()).tools.map((t) => t.name);
  out.models = (await client.callTool({ name: 'list_models', arguments: {} })).structuredContent;
  const image = readFileSync(imagePath).toString('base64');
  const unpaid = await client.callTool({ name: 'colorize_image', arguments: { image, model_size: 'tiny' } });
  out.unpaid = unpaid.structuredContent;
  const pay = await fetch(`${server}/api/dev/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ invoice: unpaid.structuredContent.invoice }),
  });
  const { preimage } = await pay.json();
  const macaroon = unpaid.structuredContent.macaroon;
  const paid = await client.callTool({
    name: 'colorize_image',
    arguments: { image, model_size: 'tiny', macaroon, preimage, return_image: true },
  });
  out.paid = paid.structuredContent;
  out.paid_is_error = paid.isError ?? false;
  out.paid_content_types = paid.content.map((c) => c.type);
  out.paid_image_bytes = Buffer.from(paid.content.find((c) => c.type === 'image')?.data ?? '', 'base64').length;
  const replay = await client.callTool({ name: 'colorize_image', arguments: { image, model_size: 'tiny', macaroon, preimage } });
  out.replay = replay.structuredContent;
  const wrong = await client.callTool({
    name: 'colorize_image',
    arguments: { image, model_size: 'tiny', macaroon, preimage: '00'.repeat(32) },
  });
  out.wrong_preimage = wrong.structuredContent;
  const job = await client.callTool({ name: 'get_job', arguments: { job_id: paid.structuredContent.job_id } });
  out.job = job.structuredContent;
} else if (mode === 'stdio') {
  const split = rest.indexOf('--');
  const [command, ...args] = rest.slice(0, split);
  const calls = JSON.parse(rest[split + 1]);
  await client.connect(new StdioClientTransport({ command, args, stderr: 'inherit' }));
  out.server = client.getServerVersion();
  out.tools = (await client.listTools()).tools.map((t) => t.name);
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
