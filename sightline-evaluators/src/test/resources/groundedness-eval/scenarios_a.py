# Hand-written scenarios, part A: customer-support policies. Format: (domain, passages, question,
# [faithful answers], [(error type, hallucinated answer)]).
S = []
def s(domain, passages, question, faithful, hallucinated):
    S.append((domain, passages, question, faithful, hallucinated))

s("support", [("Refund policy", "Unused items can be returned within 14 days of delivery for a full refund. Refunds go back to the original payment method. Gift cards are non-refundable."),
              ("Shipping", "Standard shipping takes 3 to 5 business days. Express shipping costs $12 and arrives in 1 to 2 business days.")],
  "How long do I have to return something?",
  ["You can send back unused items within two weeks of delivery and get your money back in full.",
   "Returns are accepted for 14 days after your order arrives, as long as the item is unused. The refund goes to the card or account you originally paid with."],
  [("number", "You have 30 days from delivery to return unused items for a full refund."),
   ("negation", "You can return unused items within 14 days, and gift cards can be refunded too.")])

s("support", [("Baggage allowance", "Economy passengers may check one bag of up to 23 kg free of charge. Business class passengers may check two bags of up to 32 kg each. Each additional bag costs 60 EUR."),
              ("Cabin baggage", "All passengers may bring one cabin bag of up to 8 kg and one small personal item.")],
  "What can I check in on an economy ticket?",
  ["On an economy fare one checked bag weighing up to 23 kg is included at no extra cost, and any extra bag is 60 euros.",
   "Economy includes a single checked bag of at most 23 kg. You can also bring a cabin bag up to 8 kg plus a small personal item."],
  [("entity", "Economy passengers can check two bags of up to 32 kg each without paying extra."),
   ("invented", "Economy passengers get one free checked bag of up to 23 kg, and frequent flyers can add a second bag for free.")])

s("support", [("Warranty", "All laptops come with a 2-year limited warranty covering manufacturing defects. Accidental damage and liquid spills are not covered. Batteries are covered for 12 months."),
              ("Extended protection", "CarePlus extends coverage to 4 years and adds accidental damage protection for a one-time fee of $149.")],
  "Does the warranty cover it if I spill coffee on my laptop?",
  ["No. The standard two-year warranty only covers manufacturing defects, so liquid spills are excluded. CarePlus, which costs $149 once, adds accidental damage protection.",
   "Spills aren't covered by the limited warranty. If you want that kind of protection, the CarePlus plan adds accidental damage cover and extends coverage to four years."],
  [("negation", "Yes, the standard 2-year warranty covers liquid spills as well as manufacturing defects."),
   ("number", "Spills aren't covered by the standard warranty, but CarePlus adds accidental damage protection for a one-time fee of $99.")])

s("support", [("Subscription billing", "Monthly plans renew automatically on the same day each month. You can cancel at any time from Account Settings, and access continues until the end of the current billing period. We do not offer prorated refunds for partial months."),
              ("Annual plans", "Annual plans are billed once a year at a 20% discount compared with paying monthly.")],
  "If I cancel my monthly plan halfway through the month, do I get money back?",
  ["Cancelling mid-month won't give you a partial refund, but you keep access until your current billing period ends.",
   "You can cancel whenever you like in Account Settings. There are no prorated refunds for part of a month; your access simply runs until the period you've paid for is over."],
  [("invented", "You can cancel any time, and we will refund the unused days of the month to your card."),
   ("entity", "You can cancel at any time from the Billing Portal, and access continues until the end of the current billing period.")])

s("support", [("Late delivery", "If your order arrives more than 5 days after the estimated delivery date, you can request a shipping refund. Contact support with your order number."),
              ("Lost parcels", "Parcels not delivered within 21 days of dispatch are considered lost. We will send a replacement or issue a full refund, at your choice.")],
  "My package is three weeks late. What can I do?",
  ["After 21 days from dispatch a parcel counts as lost, and you can choose either a replacement or a full refund.",
   "Since it has been three weeks, the parcel is treated as lost. Get in touch with support and you can pick a replacement shipment or your money back."],
  [("number", "Parcels not delivered within 10 days of dispatch are considered lost, so you can ask for a replacement or a full refund."),
   ("negation", "A parcel that is three weeks late is considered lost, but we cannot send a replacement; only a refund is possible.")])

s("support", [("Price adjustments", "If an item you bought drops in price within 7 days of purchase, we will refund the difference. Price adjustments do not apply to clearance items or flash sales."),
              ("Coupons", "Only one coupon can be used per order. Coupons cannot be combined with employee discounts.")],
  "The jacket I bought last week is now cheaper. Can I get the difference back?",
  ["If the price fell within seven days of your purchase, we'll refund the difference, unless the jacket was a clearance item or part of a flash sale.",
   "Yes, price drops within a week of buying qualify for a price adjustment. Clearance and flash-sale items are the exception."],
  [("number", "If the price dropped within 30 days of your purchase, we will refund the difference."),
   ("invented", "We refund the price difference within 7 days of purchase, and we also add a 10% store credit as an apology.")])

s("support", [("Hotel cancellation", "Bookings with the Flexible rate can be cancelled free of charge up to 48 hours before check-in. Cancellations made later are charged the first night. Non-refundable rate bookings cannot be cancelled or changed."),
              ("Check-in", "Check-in starts at 3 pm and check-out is at 11 am. Early check-in is subject to availability.")],
  "Can I cancel my Flexible booking the day before arrival?",
  ["A Flexible booking can be cancelled for free only until two days before check-in; cancelling the day before means you pay for the first night.",
   "The free cancellation window for the Flexible rate closes 48 hours before check-in, so cancelling the day before will cost you the first night."],
  [("negation", "Yes, Flexible bookings can be cancelled free of charge the day before, since later cancellations are never charged."),
   ("entity", "Flexible bookings can be cancelled free up to 48 hours before check-out; after that the first night is charged.")])

s("support", [("Device trade-in", "Trade-in credit is issued as a store gift card within 10 business days of receiving your device. Devices must power on and have no cracked screens."),
              ("Accepted devices", "We accept phones, tablets and smartwatches. Laptops are not accepted for trade-in.")],
  "Can I trade in my old laptop?",
  ["Unfortunately laptops aren't part of the trade-in program; only phones, tablets and smartwatches are accepted.",
   "No, laptops can't be traded in. If you have a phone, tablet or smartwatch that powers on and has no cracked screen, you'd receive a store gift card within 10 business days after we receive it."],
  [("negation", "Yes, laptops are accepted for trade-in as long as they power on and the screen isn't cracked."),
   ("invented", "Laptops aren't accepted, but we can recycle it for you and send you a $50 coupon.")])

s("support", [("Membership tiers", "Silver members get free standard shipping on orders over $35. Gold members get free standard shipping on all orders and free returns. Platinum members also get free express shipping."),
              ("Points", "Members earn 1 point per dollar spent. 100 points can be redeemed for a $5 reward.")],
  "Do Gold members pay for returns?",
  ["No, returns are free for Gold members, who also get free standard shipping on every order.",
   "Gold membership includes free returns as well as free standard shipping with no minimum order."],
  [("entity", "Returns are free for Gold members, and they also get free express shipping on every order."),
   ("number", "Gold members get free returns, and you earn 2 points for every dollar you spend.")])

s("support", [("Rental car policy", "Drivers must be at least 21 years old. Drivers under 25 pay a young driver surcharge of $25 per day. A valid driving licence held for at least one year is required."),
              ("Fuel", "Cars are provided with a full tank and must be returned full. Otherwise a refuelling charge of $9 per gallon applies.")],
  "I'm 23. Can I rent a car?",
  ["Yes, the minimum age is 21, but because you are under 25 you'll pay a young driver surcharge of $25 a day. You also need a licence you've held for at least a year.",
   "At 23 you can rent, since drivers need to be 21 or older; expect an extra $25 per day as a young driver."],
  [("number", "Yes, but drivers under 25 pay a surcharge of $15 per day."),
   ("invented", "Yes, you can rent at 23, and the young driver surcharge is waived if you book online.")])

s("support", [("Order changes", "Orders can be changed or cancelled within 1 hour of being placed. After that, the order is sent to the warehouse and can no longer be modified."),
              ("Address errors", "If the shipping address is wrong and the parcel is returned to us, we will reship it once at no cost.")],
  "I put the wrong size in my order 20 minutes ago. Can I change it?",
  ["Yes, you're still within the one-hour window in which orders can be changed or cancelled.",
   "Since you placed it only 20 minutes ago, you can still modify it; changes are possible for an hour after ordering."],
  [("number", "Yes, orders can be changed within 24 hours of being placed."),
   ("negation", "No, orders cannot be changed once they are placed, only cancelled.")])

s("support", [("Pet policy", "Dogs and cats under 8 kg may travel in the cabin in an approved carrier for a fee of 45 EUR per flight. Larger pets travel in the hold. Emotional support animals are not accepted in the cabin."),
              ("Service dogs", "Trained assistance dogs travel in the cabin free of charge with documentation.")],
  "Can my 5 kg cat fly in the cabin with me?",
  ["Yes. Pets under 8 kg can travel in the cabin in an approved carrier, and the fee is 45 euros per flight.",
   "Your cat is light enough to come in the cabin, as long as it is in an approved carrier; there is a 45 EUR fee for each flight."],
  [("number", "Yes, cats under 8 kg can fly in the cabin in an approved carrier for 25 EUR per flight."),
   ("entity", "Yes, your cat can travel in the cabin free of charge as long as you bring documentation.")])

s("support", [("Gym membership", "Memberships can be frozen for up to 3 months per year for a fee of $10 per month. Cancellation requires 30 days' written notice."),
              ("Guest passes", "Members on the Premium plan receive 4 guest passes per month. Basic plan members can buy guest passes for $15 each.")],
  "How do I cancel my gym membership?",
  ["You need to give 30 days' notice in writing to cancel. If you only need a break, you can freeze it for up to three months a year at $10 a month.",
   "Cancelling requires written notice one month ahead, 30 days to be exact."],
  [("negation", "You can cancel at any time without notice."),
   ("invented", "To cancel, give 30 days' written notice; you will also receive a refund for any unused guest passes.")])

s("support", [("Repair service", "Screen repairs are completed within 3 business days. Repairs under warranty are free; out-of-warranty screen repairs cost $129 for the X200 and $179 for the X300."),
              ("Data", "We recommend backing up your device before repair. We are not responsible for data loss.")],
  "How much does it cost to fix the screen on my X300? It's out of warranty.",
  ["For an X300 out of warranty, a screen repair is $179, and it usually takes three business days.",
   "An out-of-warranty screen repair on the X300 costs $179. Please back up your data first."],
  [("entity", "Out-of-warranty screen repair for the X300 costs $129."),
   ("negation", "It costs $179, and we take responsibility for any data lost during the repair.")])

s("support", [("Loyalty program", "Points expire 18 months after they are earned. Points cannot be transferred between accounts. Members can redeem points for flights, hotel stays or gift cards."),
              ("Status", "Elite status is reached after earning 25,000 points in a calendar year.")],
  "Do my points ever expire?",
  ["Yes, each point expires eighteen months after you earn it.",
   "Points don't last forever: they expire 18 months after they were earned, and they can't be moved to another account."],
  [("number", "Points expire 12 months after they are earned."),
   ("negation", "Points expire after 18 months, but you can transfer them to a family member's account before then.")])

s("support", [("Student discount", "Students with a valid university email get 50% off the Individual plan for up to 4 years. The discount must be re-verified every 12 months."),
              ("Family plan", "The Family plan covers up to 6 accounts at the same address for $16.99 per month.")],
  "Is there a student discount?",
  ["Yes, students with a valid university email pay half price for the Individual plan for up to four years, re-verifying once a year.",
   "Students get 50 percent off the Individual plan for as long as four years, provided they verify their status every 12 months."],
  [("entity", "Yes, students get 50% off the Family plan for up to 4 years."),
   ("invented", "Yes, students get 50% off the Individual plan, and the first three months are free.")])

s("support", [("Event tickets", "Tickets are non-refundable except when an event is cancelled. If an event is postponed, tickets remain valid for the new date. Refunds for cancelled events are processed within 30 days."),
              ("Transfers", "Tickets can be transferred to another person through the app up to 24 hours before the event.")],
  "The concert was postponed. Can I get my money back?",
  ["When an event is postponed your ticket stays valid for the new date; refunds are only given if the event is cancelled outright.",
   "A postponement doesn't qualify for a refund. Your ticket automatically works for the new date, and if you can't attend you can transfer it in the app up to a day before."],
  [("invented", "Yes, for postponed events you can request a refund within 14 days of the announcement."),
   ("number", "Your ticket is valid for the new date. You can transfer it to someone else in the app up to 2 hours before the event.")])

s("support", [("Internet outage credit", "If your service is down for more than 24 consecutive hours, you can request a credit of one day's fee for each full day of outage. Credits are applied to your next bill."),
              ("Technician visits", "Technician visits are free when the fault is on our side. If the fault is with your own equipment, a $75 call-out fee applies.")],
  "My internet was down for three days. Do I get anything?",
  ["Yes. Outages longer than 24 hours in a row qualify for a credit of one day's fee per full day, so you can ask for three days' credit on your next bill.",
   "Because the outage lasted more than a day, you can request a credit equal to a day's fee for each full day it was down; it will show up on your next bill."],
  [("invented", "Yes, you get a full month free for any outage longer than 24 hours."),
   ("negation", "Credits are available for outages of more than 24 hours, but they are paid out in cash rather than applied to your bill; technician visits are never free.")])

s("support", [("Exchange policy", "Items can be exchanged for a different size or colour within 30 days. Exchanges are free in store; exchanges by mail cost $6.95 for return shipping."),
              ("Final sale", "Swimwear, underwear and items marked Final Sale cannot be returned or exchanged.")],
  "Can I exchange a swimsuit for a bigger size?",
  ["Sorry, swimwear can't be exchanged or returned, so a swimsuit can't be swapped for another size.",
   "Swimwear is one of the categories excluded from returns and exchanges, along with underwear and anything marked Final Sale."],
  [("negation", "Yes, swimwear can be exchanged for a different size within 30 days."),
   ("entity", "Swimwear can't be exchanged, and neither can underwear or anything marked Clearance.")])
