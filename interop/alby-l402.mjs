// Buys a colorization from a Chroma402 server with Alby's fetchWithL402 (@getalby/lightning-tools),
// paying through the server's development wallet, then repeats the request with the credential the
// library returns (which must not pay again). Usage: node alby-l402.mjs SERVER IMAGE MODEL
import { readFileSync } from 'node:fs';
import { fetchWithL402 } from '@getalby/lightning-tools/402/l402';

const [server, imagePath, model] = process.argv.slice(2);
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

const first = await fetchWithL402(url, request(), { wallet });
const firstJson = await first.json();
const again = await fetchWithL402(url, request(), { wallet, credentials: first.payment.credentials });
const againJson = await again.json();
process.stdout.write(JSON.stringify({
  status: first.status,
  result: firstJson,
  paid: first.payment.paid,
  amount_sat: first.payment.amountSat,
  credential_scheme: first.payment.credentials.value.split(' ')[0],
  replay_status: again.status,
  replay_result: againJson,
  payments,
}));
