import { useI18n } from 'vue-i18n'

// The name of an API key in the current language (`regions.Hongshan` → 红山区), or the key itself
// when the locale files do not know it (a division or industry added later still shows).
export function useLabel() {
  const { t, te } = useI18n()
  return (group: string, key: string) => (te(`${group}.${key}`) ? t(`${group}.${key}`) : key)
}
