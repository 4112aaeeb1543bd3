/**
 * The contact details in a message a customer left for an agent ("请联系我 13800000000",
 * "mail me at li@example.com"): the bot asks for them in the same message, so the agents' inbox
 * shows them apart from the text. Phone numbers are taken only where they look like one — a Chinese
 * mobile number, a number written with a leading + or with separators ("020-8888 6666") — so an
 * order number ("订单2024120512") is not mistaken for a phone.
 */
export interface ContactDetails {
  phones: string[];
  emails: string[];
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** Runs of digits with the separators phone numbers are written with; none touching another digit. */
const NUMBER = /(?<![\d+])\+?\(?\d[\d ()-]*\d(?!\d)/g;
const CHINESE_MOBILE = /^1[3-9]\d{9}$/;

function phoneLike(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  return CHINESE_MOBILE.test(digits) || candidate.startsWith('+') || /\d[ ()-]+\d/.test(candidate);
}

export function contactDetails(text: string): ContactDetails {
  const emails = [...new Set(text.match(EMAIL) ?? [])];
  const phones: string[] = [];
  // Emails first, so the digits of li123456789@qq.com are not read as a phone.
  for (const match of text.replace(EMAIL, ' ').match(NUMBER) ?? []) {
    const whole = match.trim();
    // "订单 12345 13800000000": two numbers written side by side, not one.
    const parts = phoneLike(whole) ? [whole] : whole.split(/\s+/).filter(phoneLike);
    for (const p of parts) if (!phones.includes(p)) phones.push(p);
  }
  return { phones, emails };
}
