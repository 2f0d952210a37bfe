class OrdersController < ApplicationController
  def index
    render json: Order.where(customer_id: params[:customer])
  end
end
