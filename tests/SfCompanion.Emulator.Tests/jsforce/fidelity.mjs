// jsforce, unchanged, against the Salesforce emulator: a query over several pages, an sObject Collections
// update, a Composite call (two queries and a refused one, one API call) and a Bulk API 2.0 ingest + query. Prints one JSON line with what it observed; exits non-zero on error.
import jsforce from 'jsforce';

const instanceUrl = process.env.SF_INSTANCE_URL;
const conn = new jsforce.Connection({
  version: '62.0',
  oauth2: { loginUrl: instanceUrl, clientId: process.env.SF_CLIENT_ID, clientSecret: process.env.SF_CLIENT_SECRET },
});
await conn.authorize({ grant_type: 'client_credentials' });

// Query with autoFetch follows nextRecordsUrl; batchSize 200 makes several pages.
const pageUrls = [];
const records = [];
const query = conn.query('SELECT Id, LastName, Owner.Name FROM Lead ORDER BY LastName', {
  autoFetch: true,
  maxFetch: 100000,
  headers: { 'Sforce-Query-Options': 'batchSize=200' },
});
query.on('record', (record) => records.push(record));
query.on('fetch', () => pageUrls.push('page'));
await new Promise((resolve, reject) => query.on('end', resolve).on('error', reject).run());

// sObject Collections update (jsforce uses composite/sobjects for several records).
const updates = records.slice(0, 150).map((r) => ({ Id: r.Id, Sfc_Score__c: 42, Sfc_Vip__c: true }));
const updateResults = await conn.sobject('Lead').update(updates, { allOrNone: false });

// Composite: several queries in one call through jsforce's request API, one of them refused on its own.
const usageBefore = (await conn.limits()).DailyApiRequests.Remaining;
const composite = await conn.request({
  method: 'POST',
  url: `/services/data/v${conn.version}/composite`,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    allOrNone: false,
    compositeRequest: [
      { method: 'GET', url: `/services/data/v${conn.version}/queryAll?q=${encodeURIComponent('SELECT Id FROM Lead WHERE Sfc_Vip__c = true')}`, referenceId: 'vip' },
      { method: 'GET', url: `/services/data/v${conn.version}/query?q=${encodeURIComponent('SELECT Id, Nope__c FROM Lead')}`, referenceId: 'bad' },
      { method: 'GET', url: `/services/data/v${conn.version}/limits`, referenceId: 'limits' },
    ],
  }),
});
const usageAfter = composite.compositeResponse[2].body.DailyApiRequests.Remaining;

// Bulk API 2.0 ingest, then a Bulk API 2.0 query.
const input = Array.from({ length: 300 }, (_, i) => ({ LastName: `Bulk${String(i).padStart(3, '0')}`, Company: 'Bulk & Co, SA' }));
conn.bulk2.pollInterval = 50;
const ingest = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'insert', input });
const bulkRows = await (await conn.bulk2.query("SELECT Id, LastName, Company FROM Lead WHERE Company = 'Bulk & Co, SA'", { pollInterval: 50 })).toArray();

console.log(JSON.stringify({
  userId: conn.userInfo.id,
  queried: records.length,
  totalSize: query.totalSize,
  firstOwner: records[0]?.Owner?.Name ?? null,
  updated: updateResults.filter((r) => r.success).length,
  ingestSuccessful: ingest.successfulResults.length,
  ingestFailed: ingest.failedResults.length,
  bulkQueried: bulkRows.length,
  compositeStatuses: composite.compositeResponse.map((r) => `${r.referenceId}:${r.httpStatusCode}`),
  compositeVip: composite.compositeResponse[0].body.totalSize,
  compositeError: composite.compositeResponse[1].body[0].errorCode,
  compositeCalls: usageBefore - usageAfter,
  bulkCompany: bulkRows[0]?.Company ?? null,
}));
