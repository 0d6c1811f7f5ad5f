import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'

createApp(App).use(i18n).use(router).use(ElementPlus).mount('#app')

// A table that scrolls must be reachable by keyboard (WCAG 2.1.1): its scroll region takes focus.
new MutationObserver(() => {
  for (const el of document.querySelectorAll<HTMLElement>('.el-table__body-wrapper .el-scrollbar__wrap:not([tabindex])')) {
    el.tabIndex = 0
    el.setAttribute('role', 'region')
    el.setAttribute('aria-label', i18n.global.t('common.table'))
  }
}).observe(document.body, { childList: true, subtree: true })
