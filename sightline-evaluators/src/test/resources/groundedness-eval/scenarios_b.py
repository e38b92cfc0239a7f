# Hand-written scenarios, part B: finance.
S = []
def s(domain, passages, question, faithful, hallucinated):
    S.append((domain, passages, question, faithful, hallucinated))

s("finance", [("Savings account", "The Flex Saver account pays 3.25% AER on balances up to £25,000. Balances above £25,000 earn 1.5%. Interest is paid monthly."),
              ("Withdrawals", "You can make up to 3 free withdrawals per calendar year. Further withdrawals in the same year reduce the rate to 0.5% for that month.")],
  "What interest does the Flex Saver pay?",
  ["Flex Saver pays 3.25% AER on the first £25,000, and 1.5% on anything above that, with interest paid every month.",
   "On balances up to £25,000 you earn 3.25 percent AER; interest is credited monthly."],
  [("number", "The Flex Saver pays 3.75% AER on balances up to £25,000, paid monthly."),
   ("number", "Flex Saver pays 3.25% AER on balances up to £25,000, with interest paid once a year.")])

s("finance", [("Card fees", "The Voyager card has an annual fee of $95, waived in the first year. Foreign transaction fees are 0%. Cash advances carry a fee of 5% or $10, whichever is greater."),
              ("Rewards", "Cardholders earn 2 miles per dollar on travel and 1 mile per dollar on everything else.")],
  "Does the Voyager card charge foreign transaction fees?",
  ["No, there are no foreign transaction fees on the Voyager card. It does have a $95 annual fee, but that's waived for the first year.",
   "Foreign transactions cost nothing extra on Voyager: the fee is zero percent."],
  [("negation", "Yes, the Voyager card charges foreign transaction fees, although the annual fee is waived in the first year."),
   ("number", "There are no foreign transaction fees, and the annual fee is $75 after the first year.")])

s("finance", [("Wire transfers", "Domestic wire transfers cost $25 and international wires cost $45. Wires submitted before 4 pm ET on a business day are processed the same day."),
              ("Limits", "The daily online transfer limit is $10,000 for personal accounts and $50,000 for business accounts.")],
  "How much can I send online per day from my personal account?",
  ["Personal accounts can transfer up to $10,000 a day online.",
   "The online limit for personal accounts is ten thousand dollars per day; business accounts have a higher limit of $50,000."],
  [("entity", "Personal accounts can transfer up to $50,000 per day online."),
   ("invented", "Personal accounts can transfer up to $10,000 a day, and you can raise that limit instantly in the app.")])

s("finance", [("Mortgage rates", "The 5-year fixed mortgage rate is 4.29% with a product fee of £999. The 2-year fixed rate is 4.59% with no product fee. Both require a deposit of at least 10%."),
              ("Overpayments", "You can overpay up to 10% of the outstanding balance each year without an early repayment charge.")],
  "What's the rate on the two-year fix?",
  ["The two-year fixed mortgage is 4.59%, and there's no product fee on it.",
   "A 2-year fix costs 4.59 percent with no product fee, and you need at least a 10% deposit."],
  [("entity", "The 2-year fixed rate is 4.29%, with a product fee of £999."),
   ("negation", "The 2-year fixed rate is 4.59%, and it comes with a product fee.")])

s("finance", [("Overdraft", "Arranged overdrafts are charged at 39.9% EAR. There is no charge for an unarranged overdraft, but payments may be declined. A £50 buffer is interest-free."),
              ("Alerts", "We send a text alert when you enter your overdraft and when a payment is declined.")],
  "What does the overdraft cost?",
  ["An arranged overdraft is charged at 39.9% EAR, but the first £50 is interest-free.",
   "You pay 39.9 percent EAR on an arranged overdraft, apart from a £50 buffer that costs nothing. We also text you when you go into your overdraft."],
  [("number", "Arranged overdrafts cost 29.9% EAR, with the first £50 interest-free."),
   ("invented", "Arranged overdrafts are charged at 39.9% EAR, and students pay no interest at all for the first year.")])

s("finance", [("ATM fees", "Withdrawals at our own ATMs are free. Out-of-network ATMs cost $2.50 per withdrawal. Premier Checking customers get up to 4 out-of-network fees refunded each month."),
              ("Premier Checking", "Premier Checking has a $25 monthly fee, waived with a $5,000 combined balance.")],
  "Do I pay to use other banks' ATMs?",
  ["Yes, other banks' ATMs cost $2.50 per withdrawal. If you have Premier Checking, up to four of those fees are refunded every month.",
   "Using an ATM outside our network is $2.50 each time, whereas our own ATMs are free."],
  [("number", "Out-of-network ATMs cost $2.50, and Premier Checking customers get up to 10 of those fees refunded each month."),
   ("negation", "No, out-of-network ATMs are free to use, just like our own.")])

s("finance", [("Personal loans", "Personal loans range from $2,000 to $40,000 with terms of 24 to 60 months. APRs range from 7.99% to 24.99% depending on credit. There is no prepayment penalty."),
              ("Funding", "Once approved, funds are typically deposited within 2 business days.")],
  "Can I pay off my personal loan early?",
  ["Yes, you can pay it off early with no prepayment penalty.",
   "Paying early is allowed and there's no penalty for doing so. Loans run from 24 to 60 months."],
  [("negation", "You can pay early, but a prepayment penalty applies."),
   ("invented", "Yes, and if you pay off the loan early we refund half of the interest you've already paid.")])

s("finance", [("Tax filing deadline", "Individual tax returns for 2024 are due on April 15, 2025. An extension moves the filing deadline to October 15, 2025, but any tax owed is still due by April 15."),
              ("Penalties", "The failure-to-file penalty is 5% of unpaid tax per month, up to 25%.")],
  "If I get an extension, when do I have to pay?",
  ["An extension only gives you more time to file, until October 15, 2025. Any tax you owe must still be paid by April 15, 2025.",
   "Even with an extension, payment is due by 15 April 2025; only the filing deadline moves to mid-October."],
  [("number", "With an extension, both the return and the payment are due by October 15, 2025."),
   ("number", "An extension moves filing to October 15, 2025, but tax owed is due by March 15, 2025.")])

s("finance", [("Brokerage fees", "Online stock and ETF trades are commission-free. Options trades cost $0.65 per contract. Broker-assisted trades cost $25."),
              ("Account minimums", "There is no minimum to open a standard brokerage account. Margin accounts require at least $2,000.")],
  "How much does it cost to trade options?",
  ["Options trades cost $0.65 per contract, while online stock and ETF trades have no commission.",
   "Each options contract costs 65 cents; stock trades online are free."],
  [("number", "Options trades cost $0.50 per contract."),
   ("entity", "Options trades cost $0.65 per contract, and margin accounts need at least $25.")])

s("finance", [("Expense policy", "Employees may claim meals up to $60 per day while travelling. Receipts are required for any expense over $25. Claims must be submitted within 30 days of the trip."),
              ("Travel booking", "Flights must be booked in economy class through the company travel portal. Business class is allowed for flights longer than 8 hours.")],
  "Can I fly business class to Singapore? It's a 13-hour flight.",
  ["Yes. Business class is permitted on flights over eight hours, so a 13-hour flight qualifies, as long as you book it through the company travel portal.",
   "Since the flight is longer than 8 hours, business class is allowed."],
  [("number", "Business class is only allowed for flights longer than 14 hours, so you'll need to book economy."),
   ("negation", "No, flights must always be booked in economy class regardless of length.")])

s("finance", [("Credit limit increase", "Customers can request a credit limit increase after 6 months of on-time payments. Requests are reviewed within 5 business days and may involve a soft credit check."),
              ("Hardship", "If you are struggling to make payments, our hardship team can offer a payment plan of up to 12 months.")],
  "When can I ask for a higher credit limit?",
  ["You can ask for an increase once you have made on-time payments for six months. A decision usually takes up to five business days.",
   "After half a year of paying on time you're eligible to request a higher limit; we may run a soft credit check."],
  [("number", "You can request an increase after 3 months of on-time payments."),
   ("invented", "You can request an increase after 6 months of on-time payments, and approval is guaranteed if you have never missed a payment.")])

s("finance", [("Currency exchange", "We convert currencies at the mid-market rate plus a 0.5% fee. On weekends, a further 1% markup applies because markets are closed."),
              ("Limits", "You can exchange up to €20,000 per month without additional verification.")],
  "Is there any extra charge for exchanging money on a Saturday?",
  ["Yes, at weekends an extra 1% markup is added on top of the usual 0.5% fee, because the markets are closed.",
   "Saturday exchanges cost more: besides the 0.5 percent fee there's an additional 1% weekend markup."],
  [("number", "Yes, a 2% weekend markup is added on top of the 0.5% fee."),
   ("negation", "No, weekend exchanges use the same mid-market rate plus 0.5% fee as weekdays.")])

s("finance", [("Retirement plan", "The company matches 100% of employee contributions up to 4% of salary. Matching contributions vest over 3 years. Employees can enrol after 60 days of employment."),
              ("Contribution limits", "For 2025 the employee contribution limit is $23,500. Employees aged 50 or older can contribute an extra $7,500.")],
  "How much does the company match?",
  ["The company matches your contributions dollar for dollar up to 4% of your salary, and the match vests over three years.",
   "You get a full match on whatever you put in, up to four percent of salary. Enrolment opens after 60 days."],
  [("number", "The company matches 100% of contributions up to 6% of salary."),
   ("entity", "The company matches 50% of contributions up to 4% of salary.")])

s("finance", [("Invoice terms", "Invoices are payable within 30 days. A late fee of 1.5% per month applies to overdue balances. Customers paying by ACH receive a 2% early-payment discount if they pay within 10 days."),
              ("Accepted methods", "We accept ACH, wire transfer and credit card. Credit card payments carry a 3% processing fee.")],
  "Is there a discount if I pay early?",
  ["Yes, if you pay by ACH within 10 days you get a 2% discount.",
   "Paying by ACH within ten days earns a two percent discount; otherwise invoices are due in 30 days."],
  [("entity", "Yes, paying by credit card within 10 days gets you a 2% discount."),
   ("invented", "Yes, paying within 10 days by ACH gives you a 2% discount, and paying upfront for a year gives you two months free.")])

s("finance", [("Account closure", "You can close your account online if the balance is zero. Accounts with a positive balance must be closed by phone, and the remaining funds are sent by check within 10 business days."),
              ("Dormant accounts", "Accounts with no activity for 12 months are marked dormant and charged a $5 monthly fee.")],
  "How do I close my account? There's still $300 in it.",
  ["Because there is money in the account, you need to close it by phone; the remaining balance is mailed to you as a check within ten business days.",
   "Accounts that still hold funds can only be closed over the phone, and we send the balance by check."],
  [("negation", "You can close it online right away, even with a positive balance."),
   ("number", "Please call us to close it; the remaining $300 will be sent by check within 30 business days.")])

s("finance", [("Insurance premiums", "Premiums can be paid monthly, quarterly or annually. Paying annually saves 8% compared with monthly payments. A grace period of 15 days applies to late premiums."),
              ("Lapse", "If a premium is not paid by the end of the grace period, the policy lapses and coverage ends.")],
  "What happens if I pay my premium a few days late?",
  ["There is a 15-day grace period for late premiums, so a few days late is fine; if you haven't paid by the end of it, the policy lapses.",
   "You have fifteen days of grace. After that, the policy lapses and you lose coverage."],
  [("number", "There's a 30-day grace period for late premiums."),
   ("negation", "There is a 15-day grace period, and even after it ends your coverage continues.")])

s("finance", [("Crypto withdrawals", "Bitcoin withdrawals have a network fee of 0.0002 BTC. Withdrawals are processed within 2 hours. New accounts have a 7-day hold on withdrawals after the first deposit."),
              ("Verification", "Identity verification is required before any withdrawal.")],
  "I just signed up and deposited. When can I withdraw?",
  ["New accounts have a seven-day hold on withdrawals after the first deposit, and you'll need to verify your identity first.",
   "You'll be able to withdraw once the 7-day hold on new accounts has passed and your identity is verified."],
  [("number", "New accounts have a 3-day hold after the first deposit."),
   ("invented", "You can withdraw immediately if you enable two-factor authentication.")])

s("finance", [("Business account", "The Business Essentials account has no monthly fee for the first 12 months, then $15 per month. It includes 100 free transactions per month; additional transactions cost $0.30 each."),
              ("Business Plus", "Business Plus costs $30 per month and includes 300 free transactions.")],
  "How many free transactions do I get with Business Essentials?",
  ["Business Essentials includes 100 free transactions a month, and each one beyond that is 30 cents.",
   "You get a hundred transactions free each month; extra ones cost $0.30 apiece."],
  [("entity", "Business Essentials includes 300 free transactions per month."),
   ("number", "It includes 100 free transactions per month; additional transactions cost $0.50 each.")])
