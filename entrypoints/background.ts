export default defineBackground(() => {
  console.log('Committee Lens background', browser.runtime.id);
});
