/** What the demo keeps in a session. */
export interface DemoData {
  visits: number;
  username: string;
  user_id: number;
  preferences: Preferences;
  user: { email: string; name: string };
  cart: Record<string, CartLine>;
  wizard: WizardAnswers;
}

/** Flash values: one notice shown on the next page. */
export interface DemoFlash {
  notice: Notice;
}

export interface Notice {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface Preferences {
  theme: Theme;
  language: Language;
}
export type Theme = 'light' | 'dark';
export type Language = 'en' | 'fr' | 'de';

export interface CartLine {
  name: string;
  price: number;
  quantity: number;
}

export interface WizardAnswers {
  name?: string;
  email?: string;
  plan?: string;
  notes?: string;
}
