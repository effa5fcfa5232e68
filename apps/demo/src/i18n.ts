import type { Language } from './session-types.js';

/** The strings translated so far: navigation, headings and page titles. */
export interface Messages {
  nav: {
    counter: string;
    shop: string;
    wizard: string;
    preferences: string;
    login: string;
    logout: string;
  };
  visitCounter: string;
  shop: string;
  yourCart: string;
  login: string;
  dashboard: string;
  welcome: (name: string) => string;
  preferences: string;
  yourSessions: string;
}

const messages: Record<Language, Messages> = {
  en: {
    nav: {
      counter: 'Counter',
      shop: 'Shop',
      wizard: 'Wizard',
      preferences: 'Preferences',
      login: 'Log in',
      logout: 'Log out',
    },
    visitCounter: 'Visit counter',
    shop: 'Shop',
    yourCart: 'Your cart',
    login: 'Log in',
    dashboard: 'Dashboard',
    welcome: (name) => `Welcome to your dashboard, ${name}!`,
    preferences: 'Preferences',
    yourSessions: 'Your sessions',
  },
  fr: {
    nav: {
      counter: 'Compteur',
      shop: 'Boutique',
      wizard: 'Assistant',
      preferences: 'Préférences',
      login: 'Connexion',
      logout: 'Déconnexion',
    },
    visitCounter: 'Compteur de visites',
    shop: 'Boutique',
    yourCart: 'Votre panier',
    login: 'Connexion',
    dashboard: 'Tableau de bord',
    welcome: (name) => `Bienvenue sur votre tableau de bord, ${name} !`,
    preferences: 'Préférences',
    yourSessions: 'Vos sessions',
  },
  de: {
    nav: {
      counter: 'Zähler',
      shop: 'Shop',
      wizard: 'Assistent',
      preferences: 'Einstellungen',
      login: 'Anmelden',
      logout: 'Abmelden',
    },
    visitCounter: 'Besuchszähler',
    shop: 'Shop',
    yourCart: 'Ihr Warenkorb',
    login: 'Anmelden',
    dashboard: 'Übersicht',
    welcome: (name) => `Willkommen in Ihrer Übersicht, ${name}!`,
    preferences: 'Einstellungen',
    yourSessions: 'Ihre Sitzungen',
  },
};

/** The languages a visitor can choose, each named in itself. */
export const languages: ReadonlyArray<{ code: Language; name: string }> = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'de', name: 'Deutsch' },
];

/** A supported language code, or English for anything else (session data is only data). */
export function supportedLanguage(value: unknown): Language {
  return languages.find((language) => language.code === value)?.code ?? 'en';
}

/** The strings of one language. */
export function messagesFor(language: Language): Messages {
  return messages[language];
}
