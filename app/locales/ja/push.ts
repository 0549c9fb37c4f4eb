export default {
  message: {
    title: '新しいお知らせがあります',
  },
};
