# Hand-written scenarios, part D: HR, insurance and healthcare administration.
S = []
def s(domain, passages, question, faithful, hallucinated):
    S.append((domain, passages, question, faithful, hallucinated))

s("hr", [("Annual leave", "Full-time employees receive 25 days of paid annual leave per year, plus public holidays. Up to 5 unused days can be carried over to the next year. Part-time employees receive leave pro rata."),
         ("Sick leave", "Employees are paid in full for up to 10 sick days per year. A doctor's note is required after 3 consecutive days.")],
  "How many vacation days do I get as a full-time employee?",
  ["Full-time staff get 25 days of paid leave a year on top of public holidays, and you can carry up to five unused days into next year.",
   "You're entitled to twenty-five paid days off per year, plus public holidays."],
  [("number", "Full-time employees receive 30 days of paid annual leave per year."),
   ("invented", "Full-time employees get 25 days, and after five years of service that increases to 30 days.")])

s("hr", [("Parental leave", "Primary caregivers receive 16 weeks of fully paid parental leave. Secondary caregivers receive 4 weeks. Leave must be taken within 12 months of the birth or adoption."),
         ("Return to work", "Employees returning from parental leave may work part-time for up to 8 weeks.")],
  "How much paid leave do secondary caregivers get?",
  ["Secondary caregivers get four weeks of paid leave, to be taken within a year of the birth or adoption.",
   "If you're the secondary caregiver, you receive 4 weeks; primary caregivers get 16."],
  [("entity", "Secondary caregivers receive 16 weeks of fully paid leave."),
   ("negation", "Secondary caregivers receive 4 weeks, which can be taken at any time, not just within 12 months of the birth.")])

s("hr", [("Remote work", "Employees may work remotely up to 3 days per week with manager approval. Working from another country requires HR approval and is limited to 30 days per year."),
         ("Equipment", "The company provides a laptop and a one-time home office allowance of $500.")],
  "Can I work from Spain for a month?",
  ["Working from abroad needs HR approval and is capped at 30 days a year, so a month is possible if HR signs off.",
   "Yes, provided HR approves it: working from another country is allowed for up to 30 days per year."],
  [("number", "Working from another country is allowed for up to 90 days per year with HR approval."),
   ("entity", "You can work from another country for up to 30 days a year with your manager's approval alone.")])

s("hr", [("Probation", "New employees have a probation period of 6 months. During probation, either side can end employment with 1 week's notice. After probation, the notice period is 1 month."),
         ("Reviews", "Performance reviews take place twice a year, in March and September.")],
  "What's the notice period during probation?",
  ["While you're on probation, either you or the company can end the contract with a week's notice.",
   "During the six-month probation the notice period is one week; afterwards it becomes a month."],
  [("number", "During probation the notice period is 2 weeks."),
   ("invented", "During probation the notice period is 1 week, and you still receive a full month's pay as severance.")])

s("hr", [("Training budget", "Each employee has an annual learning budget of $1,500 for courses, books and conferences. Unused budget does not roll over. Certifications above $1,500 need director approval."),
         ("Study leave", "Employees can take up to 5 days of paid study leave per year for exams.")],
  "Does my unused training budget carry over?",
  ["No, any learning budget you don't use in the year is lost; it doesn't roll over.",
   "Unused budget doesn't carry forward. You get $1,500 each year for courses, books and conferences."],
  [("negation", "Yes, unused learning budget rolls over to the next year."),
   ("number", "No, it doesn't roll over. You get $2,000 per year for courses, books and conferences.")])

s("insurance", [("Deductible", "The Silver plan has a $2,000 annual deductible and a $6,500 out-of-pocket maximum. The Gold plan has a $500 deductible and a $4,000 out-of-pocket maximum."),
                ("Preventive care", "Preventive care visits are covered at 100% on all plans, before the deductible.")],
  "What's the deductible on the Gold plan?",
  ["Gold has a $500 annual deductible, with out-of-pocket costs capped at $4,000.",
   "On Gold you pay the first $500 each year before coverage kicks in; preventive visits are covered in full regardless."],
  [("entity", "The Gold plan has a $2,000 annual deductible."),
   ("negation", "The Gold plan deductible is $500, and preventive care counts toward the deductible before it's covered.")])

s("insurance", [("Claims", "Auto claims must be reported within 30 days of the incident. Most claims are settled within 14 days after all documents are received. A police report is required for theft claims."),
                ("Rental car", "Rental car coverage is included only if you added the Rental Reimbursement option, up to $40 per day for 30 days.")],
  "Is a rental car covered while mine is being repaired?",
  ["Only if your policy includes the Rental Reimbursement option, which pays up to $40 a day for as long as 30 days.",
   "Rental cars are covered only with the Rental Reimbursement add-on; it pays up to $40 per day for a maximum of thirty days."],
  [("number", "Yes, with the Rental Reimbursement option you get up to $60 per day for 30 days."),
   ("invented", "Yes, every policy includes a rental car for up to 30 days while your car is in the shop.")])

s("insurance", [("Travel insurance", "Trip cancellation is covered for illness, injury or death of the traveller or a close family member. Cancellations due to change of mind are not covered. Medical expenses abroad are covered up to $1,000,000."),
                ("Pre-existing conditions", "Pre-existing conditions are covered only if they were stable for 90 days before purchase.")],
  "Will I get my money back if I just decide not to go?",
  ["No, simply changing your mind isn't a covered reason to cancel. Cancellation cover applies to illness, injury or the death of you or a close relative.",
   "Cancelling because you changed your mind isn't covered."],
  [("negation", "Yes, trip cancellation covers any reason, including a change of mind."),
   ("number", "Change of mind isn't covered, but medical expenses abroad are covered up to $500,000.")])

s("insurance", [("Home insurance", "Buildings cover includes damage from fire, storms and burst pipes. Flood damage is covered only with the Flood add-on. The excess for water damage claims is £350."),
                ("Contents", "Contents cover protects belongings up to £50,000. Single items worth more than £2,000 must be listed on the policy.")],
  "Is flood damage covered by my buildings insurance?",
  ["Flooding is only covered if you've added the Flood add-on; standard buildings cover includes fire, storms and burst pipes.",
   "Not by default. You need the Flood add-on for flood damage."],
  [("negation", "Yes, flood damage is included in standard buildings cover."),
   ("entity", "Flood damage is covered only with the Storm add-on.")])

s("insurance", [("Pet insurance", "Accidents are covered from the day the policy starts. Illnesses are covered after a 14-day waiting period. Dental illness is covered only for dogs and cats under 8 years old at enrolment."),
                ("Reimbursement", "We reimburse 80% of eligible vet bills after the $250 annual deductible.")],
  "My dog got sick a week after I bought the policy. Is it covered?",
  ["Probably not: illnesses are only covered after a 14-day waiting period, and a week in you're still within it. Accidents, by contrast, are covered from day one.",
   "Illness cover starts two weeks after the policy begins, so an illness one week in falls in the waiting period."],
  [("number", "Yes, illnesses are covered after a 5-day waiting period."),
   ("invented", "Illnesses have a 14-day waiting period, but we'll make an exception if your vet confirms the illness was unexpected.")])

s("insurance", [("Life insurance", "Term life policies are available for 10, 20 or 30 years. Coverage amounts range from $100,000 to $2 million. Applicants over 60 must complete a medical exam."),
                ("Beneficiaries", "You can name up to 10 beneficiaries and change them at any time.")],
  "Do I need a medical exam? I'm 45.",
  ["No, a medical exam is only required for applicants over 60.",
   "At 45 you wouldn't need one; exams are required only if you're older than sixty."],
  [("number", "Yes, applicants over 40 must complete a medical exam."),
   ("negation", "Yes, all applicants must complete a medical exam regardless of age.")])

s("healthcare", [("Appointments", "Appointments can be cancelled without charge up to 24 hours in advance. Late cancellations and missed appointments are charged $40. New patients should arrive 15 minutes early."),
                 ("Telehealth", "Telehealth visits are available Monday to Friday, 8 am to 6 pm.")],
  "What happens if I cancel my appointment the same morning?",
  ["Cancelling that late counts as a late cancellation, so there's a $40 fee; free cancellations need at least a day's notice.",
   "You can only cancel for free up to 24 hours beforehand. A same-day cancellation is charged $40."],
  [("number", "Same-day cancellations are charged $25."),
   ("negation", "Same-morning cancellations are free as long as you call before the appointment.")])

s("healthcare", [("Prescription refills", "Refill requests are processed within 2 business days. Controlled substances cannot be refilled by phone and require a visit. Refills for 90-day supplies are available through mail order."),
                 ("Pharmacy hours", "The on-site pharmacy is open 9 am to 7 pm on weekdays and 10 am to 2 pm on Saturdays.")],
  "How long does a refill request take?",
  ["Refill requests take up to two business days to process.",
   "Expect about 2 business days. Note that controlled substances can't be refilled over the phone."],
  [("number", "Refill requests are processed within 5 business days."),
   ("entity", "Refills take 2 business days; the pharmacy is open 10 am to 2 pm on Sundays.")])

s("healthcare", [("Medical records", "Patients can request copies of their medical records through the patient portal. Electronic copies are free. Paper copies cost $0.25 per page, up to a maximum of $50. Requests are fulfilled within 30 days."),
                 ("Authorisation", "Releasing records to a third party requires a signed authorisation form.")],
  "How much do paper copies of my records cost?",
  ["Paper copies are 25 cents per page, capped at $50 in total; electronic copies are free.",
   "They cost $0.25 a page with a $50 maximum, and you'll get them within 30 days."],
  [("number", "Paper copies cost $0.25 per page, up to a maximum of $100."),
   ("invented", "Paper copies cost $0.25 per page, but they are free for patients over 65.")])

s("healthcare", [("Billing", "Payment is due within 30 days of the statement date. Patients can set up an interest-free payment plan for balances over $200. Accounts unpaid after 120 days may be sent to collections."),
                 ("Financial assistance", "Patients with household income below 200% of the federal poverty level may qualify for financial assistance.")],
  "Can I pay my $900 bill in instalments?",
  ["Yes. Balances above $200 can be paid through an interest-free payment plan.",
   "Since your balance is over $200, you can set up a payment plan, and it won't charge interest."],
  [("negation", "Yes, you can set up a payment plan, although interest is charged on it."),
   ("number", "Yes, balances over $500 qualify for an interest-free payment plan.")])

s("healthcare", [("Vaccination clinic", "Flu shots are offered without appointment on Tuesdays and Thursdays. They are free for patients with insurance; uninsured patients pay $30. Children under 6 months cannot receive the flu vaccine."),
                 ("COVID boosters", "COVID boosters require an appointment and are available on Wednesdays.")],
  "Do I need an appointment for a flu shot?",
  ["No appointment is needed; you can walk in on a Tuesday or Thursday.",
   "Flu shots are walk-in on Tuesdays and Thursdays. If you're insured they cost nothing; otherwise it's $30."],
  [("entity", "No appointment is needed; flu shots are offered on Wednesdays."),
   ("negation", "Yes, flu shots require an appointment.")])

s("hr", [("Relocation", "Employees relocating for a new role receive a lump sum of $10,000 to cover moving costs. Temporary housing is provided for up to 30 days. If the employee leaves within 12 months, the relocation payment must be repaid."),
         ("Visa support", "The company sponsors work visas for roles that cannot be filled locally.")],
  "Do I have to pay back relocation money if I quit?",
  ["Only if you leave within a year: the $10,000 relocation payment has to be repaid if you go within 12 months.",
   "Yes, if you resign within the first twelve months you need to repay the relocation lump sum."],
  [("number", "You have to repay it only if you leave within 6 months."),
   ("invented", "You must repay it if you leave within 12 months, but the amount is reduced by half after six months.")])

s("hr", [("Overtime", "Non-exempt employees are paid 1.5 times their hourly rate for hours over 40 in a week. Overtime must be approved in advance by a manager. Exempt employees are not eligible for overtime pay."),
         ("Timesheets", "Timesheets are due every Friday by 5 pm.")],
  "Do I get overtime if I'm exempt?",
  ["No, exempt employees can't receive overtime pay; it applies only to non-exempt staff.",
   "Overtime pay is for non-exempt employees only, at time and a half beyond 40 hours a week."],
  [("negation", "Yes, exempt employees are paid 1.5 times their rate for hours over 40."),
   ("number", "No. Non-exempt staff get overtime at 1.5 times their rate for hours over 45 a week.")])

s("insurance", [("Dental plan", "Cleanings are covered twice per year at 100%. Fillings are covered at 80% and crowns at 50%. Orthodontics are covered only for children under 19."),
                ("Waiting periods", "Major services such as crowns have a 12-month waiting period.")],
  "Are crowns covered, and how much?",
  ["Crowns are covered at 50 percent, but as a major service they have a twelve-month waiting period.",
   "Yes, at 50%, after a 12-month waiting period."],
  [("entity", "Crowns are covered at 80% after a 12-month waiting period."),
   ("invented", "Crowns are covered at 50%, and the waiting period is waived if you switch from another insurer.")])

s("healthcare", [("Referrals", "HMO members need a referral from their primary care physician to see a specialist. PPO members can see specialists without a referral. Referrals are valid for 90 days."),
                 ("Urgent care", "Urgent care visits do not require a referral on any plan.")],
  "I'm on the PPO. Do I need a referral for a dermatologist?",
  ["No, PPO members can go straight to a specialist without a referral.",
   "On the PPO you don't need a referral to see a specialist like a dermatologist; referrals are only required for HMO members."],
  [("entity", "Yes, PPO members need a referral from their primary care physician to see a specialist."),
   ("number", "No referral is needed on the PPO; HMO referrals are valid for 30 days.")])
