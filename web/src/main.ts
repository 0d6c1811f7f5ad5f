import { createApp } from 'vue'
import {
  ElAlert, ElButton, ElCheckbox, ElConfigProvider, ElDescriptions, ElDescriptionsItem, ElDialog,
  ElDrawer, ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElLoading, ElMenu, ElMenuItem,
  ElOption, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElSelect, ElTabPane, ElTable,
  ElTableColumn, ElTabs, ElTag,
} from 'element-plus'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { i18n } from './i18n'

// Only the components the screens use, so that the bundle carries no more of the library. A
// component's parts (ElRadioButton, ElTabPane, ...) install as no-ops: their parent registers them
// (ElRadio registers the radio group and buttons).
const app = createApp(App).use(i18n).use(router).use(ElLoading)
for (const c of [
  ElAlert, ElButton, ElCheckbox, ElConfigProvider, ElDescriptions, ElDescriptionsItem, ElDialog,
  ElDrawer, ElEmpty, ElForm, ElFormItem, ElInput, ElInputNumber, ElMenu, ElMenuItem, ElOption,
  ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElSelect, ElTabPane, ElTable,
  ElTableColumn, ElTabs, ElTag,
]) {
  app.use(c)
}
app.mount('#app')

// A table that scrolls must be reachable by keyboard (WCAG 2.1.1): its scroll region takes focus.
new MutationObserver(() => {
  for (const el of document.querySelectorAll<HTMLElement>('.el-table__body-wrapper .el-scrollbar__wrap:not([tabindex])')) {
    el.tabIndex = 0
    el.setAttribute('role', 'region')
    el.setAttribute('aria-label', i18n.global.t('common.table'))
  }
}).observe(document.body, { childList: true, subtree: true })
