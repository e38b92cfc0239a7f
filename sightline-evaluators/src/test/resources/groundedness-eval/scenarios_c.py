# Hand-written scenarios, part C: product documentation.
S = []
def s(domain, passages, question, faithful, hallucinated):
    S.append((domain, passages, question, faithful, hallucinated))

s("docs", [("Rate limits", "The Free tier allows 60 requests per minute and 10,000 requests per day. The Pro tier allows 600 requests per minute with no daily cap. Requests over the limit receive HTTP 429."),
           ("Retries", "Clients should retry with exponential backoff, starting at 1 second.")],
  "What's the rate limit on the Pro tier?",
  ["Pro allows 600 requests per minute and has no daily cap. If you exceed it, you'll get an HTTP 429 response.",
   "On Pro you can send up to six hundred requests a minute, without any daily limit."],
  [("entity", "The Pro tier allows 60 requests per minute and 10,000 requests per day."),
   ("negation", "Pro allows 600 requests per minute, but there is a daily cap as well.")])

s("docs", [("Upload limits", "Files up to 5 GB can be uploaded in a single request. Larger files must use multipart upload, which supports objects up to 5 TB. Each part must be at least 5 MB, except the last one."),
           ("Storage classes", "Objects default to the Standard storage class. Archive storage has a minimum storage duration of 90 days.")],
  "What's the biggest file I can upload in one request?",
  ["A single request can carry up to 5 GB; anything bigger has to go through multipart upload, which handles objects as large as 5 TB.",
   "The single-request maximum is 5 GB. For larger files use multipart upload."],
  [("number", "You can upload files up to 10 GB in a single request."),
   ("invented", "Up to 5 GB per request, and files above that are automatically split into parts by the server.")])

s("docs", [("Configuration: connection pool", "The maxPoolSize setting defaults to 10 connections. The connectionTimeout defaults to 30 seconds. Setting maxPoolSize above 100 is not recommended."),
           ("Configuration: logging", "Logging defaults to the INFO level. Set logLevel to DEBUG to see SQL statements.")],
  "What's the default connection pool size?",
  ["By default maxPoolSize is 10, and connections time out after thirty seconds.",
   "The pool holds ten connections unless you change maxPoolSize. Going above 100 isn't recommended."],
  [("number", "maxPoolSize defaults to 20 connections."),
   ("entity", "The pool size defaults to 10, and you should set logLevel to INFO to see SQL statements.")])

s("docs", [("Release notes 4.2", "Version 4.2.0 adds support for PostgreSQL 16 and drops support for PostgreSQL 11. The minimum supported Java version is now 17."),
           ("Release notes 4.1", "Version 4.1.0 added the bulk export API and required Java 11 or newer.")],
  "Which Java version does 4.2 need?",
  ["Starting with 4.2.0 you need at least Java 17.",
   "Version 4.2.0 requires Java 17 or newer; it also adds PostgreSQL 16 support and no longer supports PostgreSQL 11."],
  [("entity", "Version 4.2.0 requires Java 11 or newer."),
   ("invented", "Version 4.2.0 requires Java 17, and it also ships with built-in support for MySQL 8.")])

s("docs", [("API keys", "API keys do not expire by default. Organisation admins can set an expiry of 30, 60 or 90 days. Revoked keys stop working within 5 minutes."),
           ("Scopes", "Keys can be restricted to read-only access. Write access is required to create or delete resources.")],
  "Do API keys expire?",
  ["Not by default. Admins of the organisation can choose an expiry of 30, 60 or 90 days.",
   "Keys have no expiry unless an organisation admin configures one."],
  [("negation", "Yes, API keys expire by default after 90 days."),
   ("number", "Keys don't expire by default, and revoked keys stop working within 60 minutes.")])

s("docs", [("Backups", "Automated backups run daily at 02:00 UTC and are retained for 7 days on the Standard plan and 35 days on the Enterprise plan. Point-in-time recovery is available only on Enterprise."),
           ("Restores", "Restores create a new database instance; the original is not overwritten.")],
  "How long are backups kept on Standard?",
  ["On Standard, daily backups are kept for a week.",
   "Backups are retained for 7 days on the Standard plan; Enterprise keeps them for 35 days and adds point-in-time recovery."],
  [("entity", "On the Standard plan backups are kept for 35 days."),
   ("negation", "Backups are kept for 7 days, and point-in-time recovery is available on Standard too.")])

s("docs", [("Webhooks", "Webhook deliveries time out after 10 seconds. Failed deliveries are retried up to 8 times over 24 hours. Each payload is signed with an HMAC-SHA256 signature in the X-Signature header."),
           ("Events", "Subscriptions can filter by event type. The ping event is sent when a webhook is created.")],
  "How are webhook failures handled?",
  ["If a delivery fails, it's retried up to eight times over a day.",
   "Failed webhooks get up to 8 retries spread across 24 hours; a delivery counts as failed if it takes longer than 10 seconds."],
  [("number", "Failed deliveries are retried up to 3 times over 24 hours."),
   ("invented", "Failed deliveries are retried up to 8 times, after which the webhook is automatically disabled and the owner is emailed.")])

s("docs", [("Session settings", "User sessions expire after 30 minutes of inactivity. The absolute session lifetime is 12 hours. Enabling Remember me extends the session to 14 days."),
           ("MFA", "Multi-factor authentication is required for admin accounts and optional for other users.")],
  "How long before an idle user gets logged out?",
  ["Sessions end after half an hour without activity, and no session lasts longer than 12 hours in total unless Remember me is on.",
   "An idle session expires after 30 minutes."],
  [("number", "Idle sessions expire after 15 minutes of inactivity."),
   ("negation", "Sessions expire after 30 minutes of inactivity; multi-factor authentication is optional for admin accounts.")])

s("docs", [("Supported browsers", "The dashboard supports the latest two versions of Chrome, Firefox, Safari and Edge. Internet Explorer is not supported."),
           ("Mobile", "The mobile app requires iOS 16 or Android 12 or later.")],
  "Can I use the dashboard in Internet Explorer?",
  ["No, Internet Explorer isn't supported; use a recent Chrome, Firefox, Safari or Edge.",
   "The dashboard doesn't support Internet Explorer. It works with the two latest versions of Chrome, Firefox, Safari and Edge."],
  [("negation", "Yes, Internet Explorer is supported along with Chrome, Firefox, Safari and Edge."),
   ("entity", "No, Internet Explorer isn't supported. The mobile app requires iOS 14 or Android 12 or later.")])

s("docs", [("Cache configuration", "The cache TTL defaults to 300 seconds. Set cache.ttl to 0 to disable caching. The cache holds at most 10,000 entries and evicts the least recently used."),
           ("Metrics", "Cache hit and miss counts are exported on the /metrics endpoint.")],
  "How do I turn off the cache?",
  ["Set cache.ttl to 0 and caching is disabled. By default entries live for five minutes.",
   "To disable caching, set cache.ttl to zero; the default TTL is 300 seconds."],
  [("invented", "Set cache.enabled to false to disable caching."),
   ("number", "Set cache.ttl to 0 to disable it. The cache holds at most 1,000 entries.")])

s("docs", [("Team plan", "The Team plan includes 10 seats, 100 GB of storage and SSO via SAML. Additional seats cost $8 per month each."),
           ("Business plan", "The Business plan includes 50 seats, 1 TB of storage, SSO via SAML or OIDC, and audit logs.")],
  "Does the Team plan support OIDC?",
  ["No. Team offers SSO only through SAML; OIDC comes with the Business plan.",
   "On the Team plan single sign-on works through SAML. If you need OIDC, you'd have to move to Business, which also adds audit logs."],
  [("entity", "Yes, the Team plan includes SSO via SAML or OIDC."),
   ("invented", "Team supports SAML, and OIDC can be added to Team for $20 per month.")])

s("docs", [("Pagination", "List endpoints return 50 items per page by default. The maximum page size is 200. Use the cursor returned in next_cursor to fetch the next page."),
           ("Sorting", "Results are sorted by creation time, newest first.")],
  "How many results does a list call return?",
  ["By default you'll get 50 items per page, and you can ask for up to 200.",
   "Fifty per page is the default; the page size can go as high as 200, and you move forward with next_cursor."],
  [("number", "List endpoints return 100 items per page by default."),
   ("negation", "They return 50 items per page by default, sorted oldest first.")])

s("docs", [("Data retention", "Logs are retained for 30 days on the Free plan and 400 days on paid plans. Deleted projects are purged after 7 days and cannot be restored after that."),
           ("Export", "Logs can be exported to S3 or GCS at any time.")],
  "If I delete a project by mistake, can I get it back?",
  ["Yes, but only within a week: deleted projects are purged after seven days and can't be restored after that.",
   "You have 7 days to restore a deleted project before it is purged permanently."],
  [("number", "Yes, deleted projects can be restored for up to 30 days."),
   ("invented", "Yes, contact support and they can restore any deleted project from our archive, even months later.")])

s("docs", [("Model context", "The standard model accepts up to 128,000 tokens of context and returns at most 4,096 output tokens. The mini model accepts 32,000 tokens."),
           ("Pricing", "The standard model costs $2.50 per million input tokens and $10 per million output tokens.")],
  "What's the context window of the standard model?",
  ["The standard model takes up to 128,000 tokens of context and can produce at most 4,096 output tokens.",
   "It handles a context of 128k tokens; output is capped at 4,096 tokens."],
  [("entity", "The standard model accepts up to 32,000 tokens of context."),
   ("number", "The standard model accepts 128,000 tokens and costs $5 per million input tokens.")])

s("docs", [("Deployment", "Zero-downtime deploys require at least 2 replicas. Health checks must pass for 30 seconds before traffic shifts. Rollbacks keep the previous 5 releases."),
           ("Regions", "Deployments are available in us-east, eu-west and ap-south.")],
  "How many old releases can I roll back to?",
  ["The previous five releases are kept, so you can roll back to any of them.",
   "Rollbacks keep your last 5 releases."],
  [("number", "Rollbacks keep the previous 10 releases."),
   ("entity", "You can roll back to any of the previous 5 releases, in us-east, eu-west and us-west.")])

s("docs", [("Password policy", "Passwords must be at least 12 characters long. They must not match any of the previous 5 passwords. Passwords do not expire unless an admin enables rotation."),
           ("Lockout", "After 10 failed attempts the account is locked for 15 minutes.")],
  "How long do passwords need to be?",
  ["A password needs at least twelve characters and can't repeat any of your last five.",
   "The minimum length is 12 characters. Passwords don't expire unless your admin turns on rotation."],
  [("number", "Passwords must be at least 8 characters long."),
   ("negation", "Passwords must be at least 12 characters and expire every 90 days by default.")])

s("docs", [("Search index", "Documents become searchable within 60 seconds of being indexed. Each index can hold up to 50 million documents. Field names are case-sensitive."),
           ("Queries", "Fuzzy matching is enabled by default for text fields.")],
  "Are field names case-sensitive in the search index?",
  ["Yes, field names are case-sensitive.",
   "They are: the index treats field names as case-sensitive. Documents become searchable within a minute of indexing."],
  [("negation", "No, field names are case-insensitive."),
   ("invented", "Yes, but you can switch an index to case-insensitive field names with the ignoreCase flag.")])

s("docs", [("CLI install", "The CLI is installed with npm install -g acme-cli and requires Node.js 18 or later. On macOS it can also be installed with Homebrew."),
           ("CLI auth", "Run acme login to authenticate. Tokens are stored in ~/.acme/credentials.")],
  "What do I need to install the CLI?",
  ["You need Node.js 18 or newer, then install it with npm install -g acme-cli. On a Mac you can use Homebrew instead.",
   "The CLI requires Node.js version 18 or later and is installed globally through npm."],
  [("number", "The CLI requires Node.js 20 or later."),
   ("entity", "Install it with npm install -g acme-cli; on Windows it can also be installed with Homebrew.")])

s("docs", [("Email sending", "Each account can send 200 emails per day during the trial. After verification, the daily limit rises to 50,000. Attachments are limited to 10 MB per message."),
           ("Bounces", "Addresses that hard-bounce are added to the suppression list automatically.")],
  "How many emails can I send while on the trial?",
  ["During the trial you can send 200 emails a day; once your account is verified the limit goes up to 50,000.",
   "The trial allows two hundred emails per day."],
  [("entity", "During the trial you can send 50,000 emails per day."),
   ("negation", "You can send 200 emails a day, and hard-bounced addresses are not added to the suppression list.")])
