// Buys a colorization with one of Alby's 402 helpers (@getalby/lightning-tools): fetchWithL402, fetch402
// (routes on the first challenge scheme, then the Payment scheme, then x402) or fetchWithMpp (the HTTP Payment scheme), paying through the
// server's development wallet, then repeats the request with the credential the library returns (which
// must not pay again). Usage: node alby-fetch402.mjs fetchWithL402|fetch402|fetchWithMpp SERVER IMAGE MODEL
import { readFileSync } from 'node:fs';
import { fetch402 } from '@getalby/lightning-tools/402';
import { fetchWithMpp } from '@getalby/lightning-tools/402/mpp';
import { fetchWithL402 } from '@getalby/lightning-tools/402/l402';

const [helper, server, imagePath, model] = process.argv.slice(2);
const fetchPaid = { fetchWithL402, fetch402, fetchWithMpp }[helper];
if (!fetchPaid) throw new Error(`unknown helper ${helper}`);
let payments = 0;
const wallet = {
  async payInvoice({ invoice }) {
    payments += 1;
    const response = await fetch(`${server}/api/dev/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ invoice }),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(json.error);
    return { preimage: json.preimage };
  },
};
const request = () => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ image: readFileSync(imagePath).toString('base64'), model_size: model }),
});
const url = `${server}/api/l402/colorize-image`;

const first = await fetchPaid(url, request(), { wallet });
const firstJson = await first.json();
const again = await fetchPaid(url, request(), { wallet, credentials: first.payment?.credentials });
const againJson = await again.json();
process.stdout.write(JSON.stringify({
  status: first.status,
  result: firstJson,
  paid: first.payment?.paid ?? false,
  amount_sat: first.payment?.amountSat ?? 0,
  credential_scheme: first.payment?.credentials.value.split(' ')[0],
  credential_header: first.payment?.credentials.header,
  credential: first.payment?.credentials.value,
  settlement: first.headers.get('payment-response'),
  receipt: first.headers.get('payment-receipt'),
  replay_status: again.status,
  replay_result: againJson,
  payments,
}));
