/**
 * What the demo shows: three small businesses an agency might run, each with starter rules and the kind
 * of messages their customers send. Plain data, so the seed and the simulated customers stay readable.
 */

export interface DemoRuleSeed {
  name: string;
  keywords: string[];
  reply: string;
}

export interface DemoClientSeed {
  /** Fixed Instagram account id: a restart finds the same account in the app and recreates it in the sandbox. */
  instagramAccountId: string;
  username: string;
  displayName: string;
  clientName: string;
  brandColor: string;
  timezone: string;
  rules: DemoRuleSeed[];
  /** Customers who wrote before the demo started: [username, name, what they wrote, hours ago]. */
  history: Array<{ username: string; name: string; text: string; hoursAgo: number }>;
  /** What simulated customers write now and then (some match a rule, some need a person). */
  messages: string[];
}

const weekdays = [1, 2, 3, 4, 5];

export function businessHours(days: number[], start: string, end: string) {
  return days.map((day) => ({ day, start, end }));
}

export const DEMO_CLIENTS: readonly DemoClientSeed[] = [
  {
    instagramAccountId: '17841400000000101',
    username: 'crumb.and.co',
    displayName: 'Crumb & Co. Bakery',
    clientName: 'Crumb & Co. Bakery',
    brandColor: '#C2410C',
    timezone: 'Europe/Berlin',
    rules: [
      {
        name: 'Opening hours',
        keywords: ['opening hours', 'open', 'hours', 'closing time'],
        reply:
          'Hi {{name | "there"}}! 🥐 We bake from 7:00 to 18:00 Monday to Saturday, and 8:00 to 13:00 on Sundays.',
      },
      {
        name: 'Prices',
        keywords: ['price', 'prices', 'how much', 'cost'],
        reply:
          'Our sourdough loaf is €5.50, croissants €2.20 and celebration cakes start at €38. Anything else, {{name | "friend"}}?',
      },
      {
        name: 'Cake orders',
        keywords: ['order', 'cake', 'birthday', 'book'],
        reply:
          'We love a celebration 🎂 Tell us the date, the number of guests and a flavour, and we will confirm within a day.',
      },
    ],
    history: [
      { username: 'lena.bakes', name: 'Lena Vogel', text: 'Are you open on Sunday morning?', hoursAgo: 5 },
      { username: 'tom_k', name: 'Tom Keller', text: 'The rye bread was amazing yesterday 😍', hoursAgo: 3 },
    ],
    messages: [
      'What are your opening hours today?',
      'How much is a sourdough loaf?',
      'Can I order a birthday cake for Saturday?',
      'Do you have gluten-free options?',
      'Is the cinnamon roll back this week? 🤤',
      'What time do you close?',
    ],
  },
  {
    instagramAccountId: '17841400000000202',
    username: 'ironpeak.gym',
    displayName: 'Iron Peak Gym',
    clientName: 'Iron Peak Gym',
    brandColor: '#2563EB',
    timezone: 'Europe/London',
    rules: [
      {
        name: 'Opening hours',
        keywords: ['opening hours', 'open', 'hours'],
        reply: 'Hey {{name | "there"}} 💪 We are open 6:00–22:00 on weekdays and 8:00–20:00 at weekends.',
      },
      {
        name: 'Membership prices',
        keywords: ['price', 'prices', 'membership', 'how much', 'cost'],
        reply:
          'Memberships are £29/month (off-peak) or £39/month (all hours), no joining fee this month. Day pass: £8.',
      },
      {
        name: 'Book a class',
        keywords: ['book', 'class', 'trial', 'personal trainer'],
        reply:
          'You can book any class in our app, or reply with the class and day and we will save you a spot. First trial class is free!',
      },
    ],
    history: [
      { username: 'sam.runs', name: 'Sam Patel', text: 'How much is a membership?', hoursAgo: 6 },
      {
        username: 'maria.fit',
        name: 'Maria Lopez',
        text: 'Lost my water bottle in the locker room 😅',
        hoursAgo: 2,
      },
    ],
    messages: [
      'Are you open on Sunday?',
      'How much is the membership?',
      'Can I book a trial class?',
      'Is the sauna working again?',
      'Do you have a personal trainer for beginners?',
      'Is it busy around 18:00?',
    ],
  },
  {
    instagramAccountId: '17841400000000303',
    username: 'brightsmile.clinic',
    displayName: 'Bright Smile Dental Clinic',
    clientName: 'Bright Smile Clinic',
    brandColor: '#0F766E',
    timezone: 'America/New_York',
    rules: [
      {
        name: 'Opening hours',
        keywords: ['opening hours', 'open', 'hours'],
        reply: 'Hello {{name | "there"}}, the clinic is open Monday to Friday, 8:00 am – 6:00 pm.',
      },
      {
        name: 'Prices',
        keywords: ['price', 'prices', 'how much', 'cost', 'insurance'],
        reply:
          'A check-up with cleaning is $120; whitening starts at $350. We accept most insurance plans — tell us yours and we will check.',
      },
      {
        name: 'Appointments',
        keywords: ['appointment', 'book', 'booking', 'check-up', 'checkup'],
        reply:
          'We would be glad to see you 😊 Book at brightsmile.example/book or reply with two times that suit you.',
      },
    ],
    history: [
      {
        username: 'jordan.w',
        name: 'Jordan White',
        text: 'Can I book an appointment next week?',
        hoursAgo: 8,
      },
      { username: 'ava_m', name: 'Ava Miller', text: 'Thank you for fitting me in today!', hoursAgo: 1 },
    ],
    messages: [
      'Do you take new patients? What are your hours?',
      'How much is teeth whitening?',
      'I would like to book a check-up',
      'My tooth hurts, can someone call me?',
      'Do you accept Delta Dental insurance?',
    ],
  },
];

/** Names for customers the simulation invents. */
export const DEMO_NEW_CUSTOMERS: ReadonlyArray<{ username: string; name: string }> = [
  { username: 'noah.b', name: 'Noah Becker' },
  { username: 'emma.rose', name: 'Emma Rose' },
  { username: 'liam_o', name: 'Liam O’Brien' },
  { username: 'zoe.travels', name: 'Zoë Martin' },
  { username: 'yuki.t', name: 'Yuki Tanaka' },
  { username: 'omar.h', name: 'Omar Haddad' },
  { username: 'ines.costa', name: 'Inês Costa' },
  { username: 'ben.cooks', name: 'Ben Fischer' },
];

export const DEMO_WEEKDAYS = weekdays;

/** Pictures customers "send": stable public placeholders, so the demo never needs network access to work. */
export const DEMO_IMAGE_URL = 'https://scontent.cdninstagram.com/v/t51.2885-15/demo-photo.jpg';
export const DEMO_STORY_URL = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=demo-story';
